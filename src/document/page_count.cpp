#include "document/page_count.h"

#include "core/image/image_loader.h"
#include "document/qt_strings.h"

namespace densito {

int imagePageCount(const QString& fileName) {
    // Unreadable files count as one page: loading them then reports the core's error.
    const auto pages = countPages(toPath(fileName));
    return pages && *pages > 0 ? *pages : 1;
}

} // namespace densito
