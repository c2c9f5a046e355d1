#include "gui/sample_experiment_locator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace densito {

std::optional<QString> sampleExperimentFolder() {
    return firstExperimentFolder({
        QCoreApplication::applicationDirPath() +
            QStringLiteral("/../share/densito/sample_blots/experiment"),
        QStringLiteral(DENSITO_SOURCE_SAMPLES),
    });
}

std::optional<QString> firstExperimentFolder(const QStringList& candidates) {
    for (const QString& candidate : candidates) {
        if (candidate.isEmpty()) {
            continue;
        }
        const QDir folder(candidate);
        if (folder.exists() && QFileInfo(folder.filePath(QStringLiteral("blots.csv"))).isFile() &&
            QFileInfo(folder.filePath(QStringLiteral("samples.csv"))).isFile()) {
            return QDir::cleanPath(folder.absolutePath());
        }
    }
    return std::nullopt;
}

} // namespace densito
