#pragma once

#include <QString>

namespace densito {

/// The number of pages (TIFF directories) in an image file, read from its header only, so
/// the GUI can ask which page to open before loading pixels. PNG, JPEG and unreadable files
/// count as one page: loading them reports any error. Thread-safe; never writes the file.
int imagePageCount(const QString& fileName);

} // namespace densito
