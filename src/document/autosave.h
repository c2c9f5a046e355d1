#pragma once

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <optional>
#include <vector>

namespace densito {

class ProjectDocument;

/// An autosaved project left behind by a Densito process that ended without saving it.
struct RecoveryCandidate {
    QString autosaveFile; ///< the project copy (the .densito format)
    QString sidecarFile;  ///< its description (JSON: pid, project file, time)
    QString projectFile;  ///< the user's project file; empty for an untitled project
    QString imageFolder;  ///< the folder the copy's image paths are relative to
    QDateTime savedAt;    ///< when the copy was taken, UTC
    qint64 pid = 0;       ///< the process that wrote it
};

/// Keeps a copy of one document's unsaved work for crash recovery. While the project is
/// modified, the copy is written at most once per interval() (the first one interval() after
/// the first unsaved change) to `<folder>/<pid>-<id>.densito` with a sidecar
/// `<pid>-<id>.json`; saving, undoing back to the saved state, clearing, opening another
/// project, remove() and destruction delete both. The user's project file is never written.
///
/// The copy is the project format (core toJson) with image paths relative to the project's
/// folder (untitled: the autosave folder), recorded in the sidecar, so a copy in the autosave
/// folder resolves to the same images. The snapshot is taken on the calling thread (a copy of
/// the geometry: microseconds); JSON and the two atomic, fsynced writes run on a worker thread.
/// Use from the document's thread; the project must outlive it.
class Autosave : public QObject {
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds kDefaultInterval{60'000};

    /// QStandardPaths::AppLocalDataLocation + "/autosave" (organisation and application names
    /// set); read again on each call, so XDG_DATA_HOME set later applies.
    static QString defaultFolder();

    /// Watches `project`; `folder` is created on the first write.
    explicit Autosave(ProjectDocument& project, QString folder = defaultFolder(),
                      QObject* parent = nullptr);
    /// Waits for a write in flight, then deletes this document's copy (a clean exit).
    ~Autosave() override;
    Autosave(const Autosave&) = delete;
    Autosave& operator=(const Autosave&) = delete;

    const QString& folder() const { return m_folder; }
    std::chrono::milliseconds interval() const { return m_interval; }
    /// Takes effect from the next unsaved change on.
    void setInterval(std::chrono::milliseconds interval);
    /// This document's copy, whether written yet or not.
    const QString& fileName() const { return m_fileName; }
    const QString& sidecarFileName() const { return m_sidecarFileName; }
    /// True once a copy has been written and until it is deleted.
    bool hasAutosave() const { return m_hasAutosave; }

    /// Writes the copy now when the project is modified (on a worker thread); autosaved() or
    /// autosaveFailed() tells when it is done. A write already in flight is waited for.
    void saveNow();
    /// Deletes this document's copy (after a write in flight has finished).
    void remove();

    /// The autosaves in folder() whose process has ended: its pid is gone, or now belongs to
    /// another process (the start time in /proc/<pid>/stat differs). Newest first.
    std::vector<RecoveryCandidate> recoveryCandidates() const;
    /// Opens the candidate in the project (ProjectDocument::recoverProject); once it is open
    /// and this document's own copy of it is written, the candidate's files are deleted.
    void recover(const RecoveryCandidate& candidate);
    /// Deletes the candidate's files; false when one remains.
    static bool discard(const RecoveryCandidate& candidate);

signals:
    /// A copy of the project was written to `fileName`.
    void autosaved(const QString& fileName);
    /// The copy could not be written: the message names the file and the reason. Retried
    /// after interval().
    void autosaveFailed(const QString& message);

private:
    void changed();
    void projectRecovered(const QString& autosaveFile);
    void writeFinished(const QString& error);

    ProjectDocument& m_project;
    QString m_folder;
    QString m_fileName;
    QString m_sidecarFileName;
    std::chrono::milliseconds m_interval = kDefaultInterval;
    QTimer m_timer;
    QFuture<QString> m_write; ///< the latest write; its result is the error, or empty
    /// Bumped by each write and by remove(): only the latest write, not removed since, counts.
    int m_writeSerial = 0;
    bool m_hasAutosave = false;
    /// The candidate being recovered: deleted once this document's copy of it is written.
    std::optional<RecoveryCandidate> m_recovering;
    std::optional<RecoveryCandidate> m_adopted;
};

} // namespace densito
