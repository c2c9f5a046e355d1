#pragma once

#include <QStringList>
#include <QWidget>

#include <memory>

namespace Ui {
class WelcomePage;
}

namespace densito {

/// The page shown while no project or image is open: the app's name and version, buttons to
/// open the sample experiment, a project or images, and the recent projects. It only asks
/// (through its signals); the main window decides what opening means.
class WelcomePage : public QWidget {
    Q_OBJECT

public:
    explicit WelcomePage(QWidget* parent = nullptr);
    ~WelcomePage() override;

    /// Lists `paths` (project files, most recent first) in that order, leaving out files that
    /// no longer exist.
    void setRecentProjects(const QStringList& paths);
    /// The listed project paths, in the order shown.
    QStringList recentProjects() const;

signals:
    void sampleExperimentRequested();
    void openProjectRequested();
    void openImagesRequested();
    /// A recent project was double-clicked or chosen with Enter.
    void recentProjectActivated(const QString& path);

private:
    std::unique_ptr<Ui::WelcomePage> m_ui;
};

} // namespace densito
