#include "document/image_review.h"

#include "document/qt_strings.h"

#include <QObject>

#include <algorithm>

namespace densito {
namespace {

QString counted(int n, const char* one, const char* many) {
    return QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(n == 1 ? one : many));
}

/// "2 lanes, 1 band": what was edited by hand.
QString editedParts(const ImageReview& review) {
    QStringList parts;
    if (review.manualStrips > 0) {
        parts << counted(review.manualStrips, "membrane region", "membrane regions");
    }
    if (review.manualLanes > 0) {
        parts << counted(review.manualLanes, "lane", "lanes");
    }
    if (review.manualBands > 0) {
        parts << counted(review.manualBands, "band", "bands");
    }
    return parts.join(QStringLiteral(", "));
}

QString bulleted(const QStringList& lines) {
    QStringList bullets;
    for (const QString& line : lines) {
        bullets << QStringLiteral("• ") + line;
    }
    return bullets.join(QLatin1Char('\n'));
}

} // namespace

ImageReview imageReviewOf(const ImageGeometry& geometry, const BlotAnalysis& analysis) {
    ImageReview review;
    review.needsReview = analysis.needsReview;
    review.manualStrips = static_cast<int>(
        std::ranges::count_if(geometry.strips, [](const Strip& strip) { return strip.isManual; }));
    review.manualLanes = static_cast<int>(
        std::ranges::count_if(geometry.lanes, [](const Lane& lane) { return lane.isManual; }));
    review.manualBands = static_cast<int>(std::ranges::count_if(
        geometry.bands, [](const BandGeometry& band) { return band.isManual; }));
    review.isEditedByHand = review.manualStrips + review.manualLanes + review.manualBands > 0;
    for (const std::string& reason : analysis.reviewReasons) {
        review.reasons << toQString(reason);
    }
    // Detection reports a disputed lane count both as a warning and as a review reason.
    for (const std::string& warning : analysis.warnings) {
        const QString text = toQString(warning);
        if (!review.reasons.contains(text) && !review.warnings.contains(text)) {
            review.warnings << text;
        }
    }

    const QString edited = editedParts(review);
    QStringList sections;
    if (review.isEditedByHand) {
        review.headline =
            review.needsReview
                ? QObject::tr("edited by hand (%1) after detection was unsure").arg(edited)
                : QObject::tr("edited by hand (%1)").arg(edited);
        if (review.needsReview) {
            sections << QObject::tr("Edited by hand (%1). Before the edits, detection was "
                                    "unsure:\n%2")
                            .arg(edited, bulleted(review.reasons));
        } else {
            sections << QObject::tr("Edited by hand (%1).").arg(edited);
        }
    } else if (review.needsReview) {
        review.headline =
            QObject::tr("needs review: %1").arg(review.reasons.join(QStringLiteral("; ")));
        sections << QObject::tr("Needs review:\n%1").arg(bulleted(review.reasons));
    }
    review.reviewDetails = sections.join(QStringLiteral("\n"));
    if (!review.warnings.isEmpty()) {
        if (review.headline.isEmpty()) {
            review.headline = review.warnings.size() == 1
                                  ? QObject::tr("1 warning: %1").arg(review.warnings.front())
                                  : QObject::tr("%1 warnings: %2")
                                        .arg(review.warnings.size())
                                        .arg(review.warnings.join(QStringLiteral("; ")));
        }
        sections << QObject::tr("Warnings:\n%1").arg(bulleted(review.warnings));
    }
    review.details = sections.join(QStringLiteral("\n"));
    return review;
}

} // namespace densito
