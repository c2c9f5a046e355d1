// Autosave and crash recovery: unsaved work is copied to the per-user autosave folder, the
// copy goes with Save, Discard or a clean exit, and the copy of a process that died is
// offered, recovered as unsaved changes to the user's project, and resolves its images.

#include "core/io/atomic_file.h"
#include "core/io/project_file.h"
#include "document/autosave.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/main_window.h"

#include "gui_test_support.h"
#include "support/synthetic_blot.h"
#include "support/temp_dir.h"

#include <QApplication>
#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace densito {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int kTimeoutMs = 60000;
constexpr std::chrono::milliseconds kShortInterval{50};
constexpr double kShiftPx = 6.5;

/// Sets an environment variable for the lifetime of the object.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value)
        : m_name(name), m_old(qgetenv(name)), m_wasSet(qEnvironmentVariableIsSet(name)) {
        qputenv(name, value);
    }
    ~ScopedEnv() {
        if (m_wasSet) {
            qputenv(m_name, m_old);
        } else {
            qunsetenv(m_name);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    QByteArray m_old;
    bool m_wasSet;
};

/// A pid that no process has: a child that has exited and been reaped.
qint64 deadPid() {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return pid;
}

Json readJson(const QString& fileName) {
    const auto bytes = readWholeFile(toPath(fileName));
    return bytes ? Json::parse(*bytes, nullptr, false) : Json();
}

/// Files (not the hidden temporaries of atomic writes) in the autosave folder.
QStringList autosaveFiles() {
    return QDir(Autosave::defaultFolder()).entryList(QDir::Files, QDir::Name);
}

/// Clicks `button` of the next modal message box (maybeSave's, which blocks).
void answerNextMessageBox(QMessageBox::StandardButton button) {
    auto* poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (box != nullptr && box->button(button) != nullptr) {
            poll->deleteLater();
            box->button(button)->click();
        }
    });
    poll->start();
}

/// A scratch home (XDG data and config folders) so autosaves go to a folder of their own;
/// blots under images/, projects under project/ (another folder than the autosave's).
class AutosaveTest : public ::testing::Test {
protected:
    AutosaveTest()
        : m_dataHome(m_home.path() / "data"), m_configHome(m_home.path() / "config"),
          m_data("XDG_DATA_HOME", QByteArray::fromStdString(m_dataHome.string())),
          m_config("XDG_CONFIG_HOME", QByteArray::fromStdString(m_configHome.string())) {
        fs::create_directories(m_home / "images");
        fs::create_directories(m_home / "project");
        m_blot = test::writeImage(m_home, "images/blot.tif", test::makeSyntheticBlot({}));
        m_projectFile = toQString(m_home / "project" / "experiment.densito");
    }

    std::unique_ptr<MainWindow> makeWindow() {
        auto window = std::make_unique<MainWindow>();
        window->autosave().setInterval(kShortInterval);
        window->show();
        return window;
    }

    /// Opens the blot and waits until it is analysed.
    static void openBlot(MainWindow& window, const QString& blot) {
        window.openFilePage(blot, 0);
        ASSERT_TRUE(test::waitForProject(window.project()));
        ASSERT_EQ(window.project().imageCount(), 1);
        ASSERT_GE(window.project().image(0).geometry.lanes.size(), 2U);
    }

    /// Moves lane 2 right by kShiftPx and waits for the autosave of that edit; its new centre.
    static double moveLaneAndWaitForAutosave(MainWindow& window) {
        ProjectDocument& project = window.project();
        // A write in flight may hold the state before the edit: let it finish first.
        if (project.isModified()) {
            EXPECT_TRUE(
                QTest::qWaitFor([&] { return window.autosave().hasAutosave(); }, kTimeoutMs));
        }
        QSignalSpy autosaved(&window.autosave(), &Autosave::autosaved);
        Lane lane = project.image(0).geometry.lanes[1];
        lane.xCenterPx += kShiftPx;
        lane.leftPx += kShiftPx;
        lane.rightPx += kShiftPx;
        project.moveLane({0, 1}, lane);
        project.endDrag();
        EXPECT_TRUE(QTest::qWaitFor([&] { return !autosaved.isEmpty(); }, kTimeoutMs));
        return lane.xCenterPx;
    }

    /// Copies the window's autosave as if it had been left by process `pid`.
    static RecoveryCandidate copyAsLeftBy(const MainWindow& window, qint64 pid,
                                          std::optional<qint64> processStart = std::nullopt) {
        const Autosave& autosave = window.autosave();
        const QString base = autosave.folder() + QStringLiteral("/%1-crashed").arg(pid);
        RecoveryCandidate copy;
        copy.autosaveFile = base + QStringLiteral(".densito");
        copy.sidecarFile = base + QStringLiteral(".json");
        EXPECT_TRUE(QFile::copy(autosave.fileName(), copy.autosaveFile));
        Json sidecar = readJson(autosave.sidecarFileName());
        sidecar["pid"] = pid;
        sidecar.erase("processStart");
        if (processStart) {
            sidecar["processStart"] = *processStart;
        }
        EXPECT_TRUE(writeFileAtomically(toPath(copy.sidecarFile), sidecar.dump()));
        return copy;
    }

    test::TempDir m_home;
    fs::path m_dataHome;
    fs::path m_configHome;
    ScopedEnv m_data;
    ScopedEnv m_config;
    QString m_blot;
    QString m_projectFile;
};

TEST_F(AutosaveTest, WritesACopyOfUnsavedWorkToTheDataFolder) {
    auto window = makeWindow();
    EXPECT_EQ(window->autosave().folder(),
              toQString(m_dataHome / QCoreApplication::organizationName().toStdString() /
                        QCoreApplication::applicationName().toStdString() / "autosave"));
    openBlot(*window, m_blot);
    const double editedXPx = moveLaneAndWaitForAutosave(*window);

    const Autosave& autosave = window->autosave();
    EXPECT_TRUE(autosave.hasAutosave());
    EXPECT_EQ(autosaveFiles(), QStringList({QFileInfo(autosave.fileName()).fileName(),
                                            QFileInfo(autosave.sidecarFileName()).fileName()}));
    const Json sidecar = readJson(autosave.sidecarFileName());
    EXPECT_EQ(sidecar.value("format", ""), "densito-autosave");
    EXPECT_EQ(sidecar.value("pid", qint64{0}), QCoreApplication::applicationPid());
    EXPECT_EQ(sidecar.value("projectFile", "?"), "");
    EXPECT_EQ(sidecar.value("imageFolder", ""), autosave.folder().toStdString());
    EXPECT_TRUE(QDateTime::fromString(QString::fromStdString(sidecar.value("savedAt", "")),
                                      Qt::ISODateWithMs)
                    .isValid());
    // The copy is the project format, its image path relative to the recorded folder.
    const auto copy = fromJson(readJson(autosave.fileName()),
                               toPath(QString::fromStdString(sidecar["imageFolder"])), "copy");
    ASSERT_TRUE(copy.has_value()) << copy.error().describe();
    ASSERT_EQ(copy->images.size(), 1U);
    EXPECT_EQ(copy->images[0].path, toPath(m_blot));
    EXPECT_EQ(copy->images[0].geometry.lanes[1].xCenterPx, editedXPx);
    EXPECT_TRUE(copy->images[0].geometry.lanes[1].isManual);
    // Nothing is written next to the user's files.
    EXPECT_TRUE(fs::is_empty(m_home / "project"));
}

TEST_F(AutosaveTest, SavingRemovesTheAutosave) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    ASSERT_TRUE(window->project().saveProject(m_projectFile).has_value());
    moveLaneAndWaitForAutosave(*window);
    // A titled project's copy has its image paths relative to the project's folder.
    const Json sidecar = readJson(window->autosave().sidecarFileName());
    EXPECT_EQ(sidecar.value("projectFile", ""), m_projectFile.toStdString());
    EXPECT_EQ(readJson(window->autosave().fileName())["images"][0].value("path", ""),
              "../images/blot.tif");
    ASSERT_EQ(autosaveFiles().size(), 2);

    EXPECT_TRUE(window->saveProject());
    EXPECT_FALSE(window->autosave().hasAutosave());
    EXPECT_TRUE(autosaveFiles().isEmpty());
    EXPECT_FALSE(QFileInfo::exists(window->autosave().fileName()));
}

TEST_F(AutosaveTest, UndoingBackToTheSavedStateRemovesTheAutosave) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    ASSERT_TRUE(window->project().saveProject(m_projectFile).has_value());
    moveLaneAndWaitForAutosave(*window);
    ASSERT_EQ(autosaveFiles().size(), 2);
    window->project().undoStack()->undo();
    EXPECT_FALSE(window->project().isModified());
    EXPECT_TRUE(autosaveFiles().isEmpty());
}

TEST_F(AutosaveTest, ClosingWithDiscardRemovesTheAutosave) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    moveLaneAndWaitForAutosave(*window);
    ASSERT_EQ(autosaveFiles().size(), 2);
    answerNextMessageBox(QMessageBox::Discard);
    EXPECT_TRUE(window->close());
    EXPECT_TRUE(autosaveFiles().isEmpty());
}

TEST_F(AutosaveTest, ACleanExitRemovesTheAutosave) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    moveLaneAndWaitForAutosave(*window);
    ASSERT_EQ(autosaveFiles().size(), 2);
    window.reset();
    EXPECT_TRUE(autosaveFiles().isEmpty());
}

TEST_F(AutosaveTest, DoesNotOfferTheWorkOfARunningProcess) {
    auto running = makeWindow();
    openBlot(*running, m_blot);
    moveLaneAndWaitForAutosave(*running);
    auto other = makeWindow();
    EXPECT_TRUE(other->recoveryCandidates().empty());
    EXPECT_TRUE(running->recoveryCandidates().empty());
    other->offerRecovery();
    EXPECT_EQ(other->findChild<QMessageBox*>(QStringLiteral("recoveryMessage")), nullptr);
}

TEST_F(AutosaveTest, OffersTheWorkOfAPidNowUsedByAnotherProgram) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    moveLaneAndWaitForAutosave(*window);
    QProcess sleeper;
    sleeper.start(QStringLiteral("sleep"), {QStringLiteral("60")});
    ASSERT_TRUE(sleeper.waitForStarted());
    // The pid is alive, but it is not the process that wrote the autosave (which started at
    // another time: the start time of this test process, 1 tick since boot, never matches).
    const qint64 sleeperPid = sleeper.processId();
    const RecoveryCandidate left = copyAsLeftBy(*window, sleeperPid, 1);
    const auto candidates = window->recoveryCandidates();
    sleeper.kill();
    sleeper.waitForFinished();
    ASSERT_EQ(candidates.size(), 1U);
    EXPECT_EQ(candidates[0].autosaveFile, left.autosaveFile);
    EXPECT_EQ(candidates[0].pid, sleeperPid);
}

TEST_F(AutosaveTest, DiscardDeletesTheAutosave) {
    auto window = makeWindow();
    openBlot(*window, m_blot);
    moveLaneAndWaitForAutosave(*window);
    const qint64 pid = deadPid();
    const RecoveryCandidate left = copyAsLeftBy(*window, pid);
    const auto candidates = window->recoveryCandidates();
    ASSERT_EQ(candidates.size(), 1U);
    EXPECT_EQ(candidates[0].pid, pid);
    EXPECT_EQ(candidates[0].autosaveFile, left.autosaveFile);
    EXPECT_EQ(candidates[0].sidecarFile, left.sidecarFile);
    EXPECT_TRUE(candidates[0].projectFile.isEmpty());

    window->discardRecovery(candidates[0]);
    EXPECT_FALSE(QFileInfo::exists(left.autosaveFile));
    EXPECT_FALSE(QFileInfo::exists(left.sidecarFile));
    EXPECT_TRUE(window->recoveryCandidates().empty());
    // The window's own copy stays: its work is still unsaved.
    EXPECT_TRUE(QFileInfo::exists(window->autosave().fileName()));
}

TEST_F(AutosaveTest, RecoversAnUntitledProjectThroughThePrompt) {
    double editedXPx = 0.0;
    RecoveryCandidate left;
    {
        auto crashed = makeWindow();
        openBlot(*crashed, m_blot);
        editedXPx = moveLaneAndWaitForAutosave(*crashed);
        left = copyAsLeftBy(*crashed, deadPid());
    }
    auto window = makeWindow();
    window->offerRecovery();
    auto* box = window->findChild<QMessageBox*>(QStringLiteral("recoveryMessage"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().startsWith(QStringLiteral(
        "Densito closed before an untitled project was saved. Recover the work autosaved at ")))
        << box->text().toStdString();
    EXPECT_TRUE(box->text().endsWith(QLatin1Char('?')));
    QPushButton* recover = nullptr;
    for (QAbstractButton* button : box->buttons()) {
        if (button->text() == QStringLiteral("Recover")) {
            recover = qobject_cast<QPushButton*>(button);
        }
    }
    ASSERT_NE(recover, nullptr);
    recover->click();

    ProjectDocument& project = window->project();
    ASSERT_TRUE(QTest::qWaitFor([&] { return project.imageCount() == 1; }, kTimeoutMs));
    ASSERT_TRUE(test::waitForProject(project));
    EXPECT_TRUE(project.isModified());
    EXPECT_TRUE(project.fileName().isEmpty());
    // The image path, stored relative to the autosave folder, still names the blot.
    EXPECT_EQ(project.image(0).path, toPath(m_blot));
    EXPECT_NE(project.loadedImage(0), nullptr);
    EXPECT_EQ(project.image(0).geometry.lanes[1].xCenterPx, editedXPx);
    EXPECT_EQ(project.analysis(0).lanes[1].xCenterPx, editedXPx);
    // The window's own copy now holds the work, and the left one is gone.
    ASSERT_TRUE(QTest::qWaitFor([&] { return window->autosave().hasAutosave(); }, kTimeoutMs));
    EXPECT_FALSE(QFileInfo::exists(left.autosaveFile));
    EXPECT_FALSE(QFileInfo::exists(left.sidecarFile));
    EXPECT_TRUE(window->recoveryCandidates().empty());
}

TEST_F(AutosaveTest, RecoversTheWorkOfAKilledProcess) {
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), toQString(m_dataHome));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), toQString(m_configHome));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(environment);
    child.start(QStringLiteral(DENSITO_AUTOSAVE_CHILD_PATH),
                {QCoreApplication::organizationName(), QCoreApplication::applicationName(), m_blot,
                 m_projectFile});
    ASSERT_TRUE(child.waitForStarted());
    const qint64 childPid = child.processId();
    QByteArray out;
    QElapsedTimer clock;
    clock.start();
    while (!out.contains('\n') && child.state() == QProcess::Running &&
           clock.elapsed() < kTimeoutMs) {
        child.waitForReadyRead(1000);
        out += child.readAllStandardOutput();
    }
    ASSERT_TRUE(out.startsWith("autosaved ")) << out.toStdString() << "\n"
                                              << child.readAllStandardError().toStdString();
    const QList<QByteArray> numbers = out.trimmed().split(' ');
    ASSERT_EQ(numbers.size(), 3);
    const double savedXPx = numbers[1].toDouble();
    const double editedXPx = numbers[2].toDouble();
    ASSERT_NE(savedXPx, editedXPx);
    child.kill(); // SIGKILL: no destructor, no cleanup
    ASSERT_TRUE(child.waitForFinished());
    EXPECT_EQ(child.exitStatus(), QProcess::CrashExit);

    // The user's file still holds what was saved; the edit is only in the autosave.
    const auto saved = readProject(toPath(m_projectFile));
    ASSERT_TRUE(saved.has_value()) << saved.error().describe();
    EXPECT_EQ(saved->images[0].geometry.lanes[1].xCenterPx, savedXPx);
    EXPECT_FALSE(QFileInfo::exists(m_projectFile + QStringLiteral(".bak")));

    auto window = makeWindow();
    const auto candidates = window->recoveryCandidates();
    ASSERT_EQ(candidates.size(), 1U);
    const RecoveryCandidate candidate = candidates[0];
    EXPECT_EQ(candidate.pid, childPid);
    EXPECT_EQ(candidate.projectFile, m_projectFile);
    EXPECT_LE(candidate.savedAt, QDateTime::currentDateTimeUtc());
    EXPECT_GT(candidate.savedAt, QDateTime::currentDateTimeUtc().addSecs(-120));

    // The prompt names the project; closing it without an answer keeps the copy.
    window->offerRecovery();
    auto* box = window->findChild<QMessageBox*>(QStringLiteral("recoveryMessage"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().startsWith(
        QStringLiteral("Densito closed before “experiment.densito” was saved. Recover the work "
                       "autosaved at ")))
        << box->text().toStdString();
    EXPECT_TRUE(box->informativeText().contains(QDir::toNativeSeparators(m_projectFile)));
    box->reject();
    EXPECT_TRUE(QFileInfo::exists(candidate.autosaveFile));
    EXPECT_EQ(window->recoveryCandidates().size(), 1U);

    ASSERT_TRUE(window->recover(candidate));
    ProjectDocument& project = window->project();
    ASSERT_TRUE(QTest::qWaitFor([&] { return project.imageCount() == 1; }, kTimeoutMs));
    ASSERT_TRUE(test::waitForProject(project));
    EXPECT_TRUE(project.isModified());
    EXPECT_EQ(project.fileName(), m_projectFile);
    EXPECT_TRUE(window->windowTitle().startsWith(QStringLiteral("experiment.densito")));
    EXPECT_TRUE(window->isWindowModified());
    // The image path, stored relative to the project's folder, resolves from the autosave.
    EXPECT_EQ(project.image(0).path, toPath(m_blot));
    EXPECT_NE(project.loadedImage(0), nullptr);
    EXPECT_EQ(project.image(0).geometry.lanes[1].xCenterPx, editedXPx);
    EXPECT_TRUE(project.image(0).geometry.lanes[1].isManual);
    ASSERT_TRUE(QTest::qWaitFor([&] { return window->autosave().hasAutosave(); }, kTimeoutMs));
    EXPECT_FALSE(QFileInfo::exists(candidate.autosaveFile));
    EXPECT_EQ(autosaveFiles().size(), 2); // the window's own copy

    // Save writes the user's file (with its .bak) and the autosave goes.
    EXPECT_TRUE(window->saveProject());
    EXPECT_FALSE(project.isModified());
    EXPECT_TRUE(autosaveFiles().isEmpty());
    const auto recovered = readProject(toPath(m_projectFile));
    ASSERT_TRUE(recovered.has_value()) << recovered.error().describe();
    EXPECT_EQ(recovered->images[0].geometry.lanes[1].xCenterPx, editedXPx);
    EXPECT_TRUE(QFileInfo::exists(m_projectFile + QStringLiteral(".bak")));
}

} // namespace
} // namespace densito
