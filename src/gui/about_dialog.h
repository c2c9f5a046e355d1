#pragma once

#include <QDialog>
#include <QStringList>

#include <memory>

namespace Ui {
class AboutDialog;
}

namespace densito {

/// Help > About Densito: the version and the versions of the libraries Densito runs on.
class AboutDialog : public QDialog {
    Q_OBJECT

public:
    explicit AboutDialog(QWidget* parent = nullptr);
    ~AboutDialog() override;

    /// One line per library: "Qt 6.4.2", "OpenCV 4.6.0", "libtiff 4.5.0", "spdlog 1.10.0".
    /// Qt and libtiff report the version loaded at run time; OpenCV and spdlog the one built
    /// against.
    static QStringList libraryVersions();

private:
    std::unique_ptr<Ui::AboutDialog> m_ui;
};

} // namespace densito
