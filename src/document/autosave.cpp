#include "document/autosave.h"

#include "core/io/atomic_file.h"
#include "core/io/project_file.h"
#include "document/project_document.h"
#include "document/qt_strings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStandardPaths>
#include <QUndoStack>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <system_error>
#include <utility>

namespace densito {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr const char* kSidecarFormat = "densito-autosave";
constexpr int kSidecarVersion = 1;

/// When the process started, in clock ticks since boot (field 22 of /proc/<pid>/stat):
/// with the pid, it tells a process from a later one that was given the same pid.
std::optional<std::uint64_t> processStartTicks(qint64 pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!in || !std::getline(in, stat)) {
        return std::nullopt;
    }
    // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    const std::size_t nameEnd = stat.rfind(')');
    if (nameEnd == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(stat.substr(nameEnd + 1));
    std::string field;
    for (int i = 3; i < 22; ++i) {
        if (!(fields >> field)) {
            return std::nullopt;
        }
    }
    std::uint64_t ticks = 0;
    if (!(fields >> ticks)) {
        return std::nullopt;
    }
    return ticks;
}

/// True while the process that wrote an autosave runs. When /proc cannot tell (another
/// system, a hidden /proc), a live pid counts as running: a running window's work is never
/// offered for recovery.
bool isProcessRunning(qint64 pid, std::optional<std::uint64_t> startTicks) {
    if (pid <= 0) {
        return false;
    }
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        return false;
    }
    const auto actual = processStartTicks(pid);
    return !actual || !startTicks || *actual == *startTicks;
}

/// Writes the project copy, then its sidecar; the error message, or empty.
QString writeAutosave(const Project& project, const fs::path& copy, const fs::path& sidecar,
                      const fs::path& imageFolder, const std::string& sidecarText) {
    const std::string name = copy.filename().string();
    try {
        std::error_code error;
        fs::create_directories(copy.parent_path(), error);
        if (error) {
            return toQString(Error{copy.parent_path().string(),
                                   "the folder cannot be created: " + error.message()}
                                 .describe());
        }
        const std::string text =
            toJson(project, imageFolder).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
        // As writeProject does: a copy that would not open again is not worth keeping.
        if (const auto check = fromJson(Json::parse(text), imageFolder, name); !check) {
            return toQString(Error{name, "not saved: " + check.error().reason}.describe());
        }
        for (const auto& [path, content] : {std::pair{&copy, &text}, {&sidecar, &sidecarText}}) {
            if (auto written = writeFileAtomically(*path, *content); !written) {
                return toQString(written.error().describe());
            }
        }
        return {};
    } catch (const std::exception& e) {
        return toQString(Error{name, std::string("not saved: ") + e.what()}.describe());
    }
}

} // namespace

QString Autosave::defaultFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
           QStringLiteral("/autosave");
}

Autosave::Autosave(ProjectDocument& project, QString folder, QObject* parent)
    : QObject(parent), m_project(project), m_folder(QDir(folder).absolutePath()) {
    // The pid names the writer; the random part keeps a later process that is given the same
    // pid (containers start from small pids) from overwriting work not yet recovered.
    const QString base = QStringLiteral("%1/%2-%3")
                             .arg(m_folder)
                             .arg(QCoreApplication::applicationPid())
                             .arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
    m_fileName = base + QStringLiteral(".densito");
    m_sidecarFileName = base + QStringLiteral(".json");
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Autosave::saveNow);
    connect(m_project.undoStack(), &QUndoStack::indexChanged, this, &Autosave::changed);
    connect(&m_project, &ProjectDocument::modifiedChanged, this, [this](bool isModified) {
        if (isModified) {
            changed();
        } else {
            remove();
        }
    });
    connect(&m_project, &ProjectDocument::projectRecovered, this, &Autosave::projectRecovered);
}

Autosave::~Autosave() {
    remove();
}

void Autosave::setInterval(std::chrono::milliseconds interval) {
    m_interval = interval;
}

void Autosave::changed() {
    if (m_project.isModified() && !m_timer.isActive()) {
        m_timer.start(m_interval);
    }
}

void Autosave::saveNow() {
    if (!m_project.isModified()) {
        return;
    }
    m_timer.stop();
    m_write.waitForFinished();
    const QString projectFile = m_project.fileName();
    const QString imageFolder =
        projectFile.isEmpty() ? m_folder : QFileInfo(projectFile).absolutePath();
    Json sidecar;
    sidecar["format"] = kSidecarFormat;
    sidecar["version"] = kSidecarVersion;
    sidecar["pid"] = QCoreApplication::applicationPid();
    if (const auto start = processStartTicks(QCoreApplication::applicationPid())) {
        sidecar["processStart"] = *start;
    }
    sidecar["projectFile"] = projectFile.toStdString();
    sidecar["imageFolder"] = imageFolder.toStdString();
    sidecar["savedAt"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    m_write = QtConcurrent::run(
        [project = m_project.toProject(), copy = toPath(m_fileName),
         sidecarPath = toPath(m_sidecarFileName), folder = toPath(imageFolder),
         text = sidecar.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"] {
            return writeAutosave(project, copy, sidecarPath, folder, text);
        });
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this,
            [this, watcher, serial = ++m_writeSerial] {
                const QString error = watcher->result();
                watcher->deleteLater();
                if (serial == m_writeSerial) {
                    writeFinished(error);
                }
            });
    watcher->setFuture(m_write);
}

void Autosave::writeFinished(const QString& error) {
    if (!error.isEmpty()) {
        emit autosaveFailed(error);
        m_timer.start(m_interval);
        return;
    }
    m_hasAutosave = true;
    if (m_adopted) {
        discard(*std::exchange(m_adopted, std::nullopt));
    }
    emit autosaved(m_fileName);
}

void Autosave::remove() {
    m_timer.stop();
    ++m_writeSerial;
    m_write.waitForFinished();
    if (m_adopted) {
        // The recovered work was saved or discarded before its copy here was written.
        discard(*std::exchange(m_adopted, std::nullopt));
    }
    QFile::remove(m_fileName);
    QFile::remove(m_sidecarFileName);
    m_hasAutosave = false;
}

std::vector<RecoveryCandidate> Autosave::recoveryCandidates() const {
    std::vector<RecoveryCandidate> candidates;
    const QFileInfoList sidecars =
        QDir(m_folder).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QFileInfo& sidecar : sidecars) {
        const auto bytes = readWholeFile(toPath(sidecar.absoluteFilePath()));
        if (!bytes) {
            continue;
        }
        const Json json = Json::parse(*bytes, nullptr, false);
        if (!json.is_object() || json.value("format", std::string()) != kSidecarFormat ||
            !json.contains("pid") || !json["pid"].is_number_integer()) {
            continue;
        }
        RecoveryCandidate candidate;
        candidate.sidecarFile = sidecar.absoluteFilePath();
        candidate.autosaveFile = sidecar.absolutePath() + QLatin1Char('/') +
                                 sidecar.completeBaseName() + QStringLiteral(".densito");
        candidate.pid = json["pid"].get<qint64>();
        std::optional<std::uint64_t> start;
        if (json.contains("processStart") && json["processStart"].is_number_unsigned()) {
            start = json["processStart"].get<std::uint64_t>();
        }
        if (!QFileInfo::exists(candidate.autosaveFile) || isProcessRunning(candidate.pid, start)) {
            continue;
        }
        candidate.projectFile = QString::fromStdString(json.value("projectFile", std::string()));
        candidate.imageFolder =
            QString::fromStdString(json.value("imageFolder", m_folder.toStdString()));
        candidate.savedAt = QDateTime::fromString(
            QString::fromStdString(json.value("savedAt", std::string())), Qt::ISODateWithMs);
        if (!candidate.savedAt.isValid()) {
            candidate.savedAt = QFileInfo(candidate.autosaveFile).lastModified().toUTC();
        }
        candidates.push_back(std::move(candidate));
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const RecoveryCandidate& a, const RecoveryCandidate& b) {
                         return a.savedAt > b.savedAt;
                     });
    return candidates;
}

void Autosave::recover(const RecoveryCandidate& candidate) {
    m_recovering = candidate;
    m_project.recoverProject(candidate.autosaveFile, candidate.imageFolder, candidate.projectFile);
}

void Autosave::projectRecovered(const QString& autosaveFile) {
    if (!m_recovering || m_recovering->autosaveFile != autosaveFile) {
        return;
    }
    // The candidate goes once this document's own copy holds the work: a crash in between
    // leaves one of the two.
    m_adopted = std::exchange(m_recovering, std::nullopt);
    saveNow();
}

bool Autosave::discard(const RecoveryCandidate& candidate) {
    QFile::remove(candidate.autosaveFile);
    QFile::remove(candidate.sidecarFile);
    return !QFileInfo::exists(candidate.autosaveFile) && !QFileInfo::exists(candidate.sidecarFile);
}

} // namespace densito
