// densito: the desktop application's entry point. --help and --version are answered before
// Qt starts, so they work without a display (packaging checks, CI, ssh sessions).

#include "core/version.h"
#include "gui/app_icon.h"
#include "gui/main_window.h"

#include <QApplication>
#include <QStringList>

#include <cstdio>
#include <string_view>

namespace {

constexpr int kUsageError = 2;

void printUsage(std::FILE* out) {
    std::fprintf(out,
                 "Usage: densito [OPTION]... [FILE]...\n"
                 "Quantitative Western blot densitometry: analyse blot images (TIFF, PNG, JPEG),\n"
                 "edit lanes and bands, and quantify experiments.\n"
                 "\n"
                 "  FILE           blot images to add to a new project, or a .densito project\n"
                 "  -h, --help     show this help and exit\n"
                 "  -v, --version  show the version and exit\n"
                 "\n"
                 "Standard Qt options (for example -platform offscreen) are accepted too.\n"
                 "For batch analysis without a window, use densito-cli.\n");
}

/// What to do before (or instead of) starting the GUI: 0 or 2 means exit with that code.
int handleInformationOptions(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(argv[i]);
        if (arg == "--help" || arg == "-h") {
            printUsage(stdout);
            return 0;
        }
        if (arg == "--version" || arg == "-v") {
            std::printf("densito %s\n", densito::kVersion);
            return 0;
        }
        if (arg == "--") {
            break;
        }
    }
    return -1;
}

} // namespace

int main(int argc, char** argv) {
    if (const int code = handleInformationOptions(argc, argv); code >= 0) {
        return code;
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Densito"));
    QApplication::setApplicationName(QStringLiteral("densito"));
    QApplication::setApplicationDisplayName(QLatin1String(densito::kProjectName));
    QApplication::setApplicationVersion(QLatin1String(densito::kVersion));
    QApplication::setDesktopFileName(QStringLiteral("densito"));
    QApplication::setWindowIcon(densito::applicationIcon());

    // Qt has removed its own options (-platform ...); what remains are file names.
    QStringList files;
    bool isAfterDashes = false;
    for (const QString& arg : QApplication::arguments().mid(1)) {
        if (!isAfterDashes && arg == QLatin1String("--")) {
            isAfterDashes = true;
        } else if (!isAfterDashes && arg.startsWith(QLatin1Char('-'))) {
            std::fprintf(stderr, "densito: unknown option '%s'\n", qPrintable(arg));
            printUsage(stderr);
            return kUsageError;
        } else {
            files << arg;
        }
    }

    densito::MainWindow window;
    window.show();
    window.openFiles(files);
    // Work left unsaved by a Densito that crashed or was killed.
    window.offerRecovery();
    return QApplication::exec();
}
