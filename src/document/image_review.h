#pragma once

#include "core/measure/blot_analysis.h"
#include "core/pipeline/image_geometry.h"

#include <QString>
#include <QStringList>

namespace densito {

/// What a person should know about one image's detection, worded once for the image list,
/// the Image panel and the status bar, so that all three say the same.
///
/// `needs_review` (run.json, BlotAnalysis::needsReview) means detection was unsure; a person's
/// edit does not clear it, and the stored reasons stay as detection gave them. Once a strip,
/// lane or band has been placed or changed by hand, the reasons describe what detection found
/// before that, so they are shown as such rather than as the image's present state.
struct ImageReview {
    bool needsReview = false;    ///< detection was unsure (BlotAnalysis::needsReview)
    bool isEditedByHand = false; ///< a strip, lane or band was placed or changed by hand
    int manualStrips = 0;
    int manualLanes = 0;
    int manualBands = 0;
    QStringList reasons;  ///< detection's review reasons, one sentence each
    QStringList warnings; ///< the analysis's other warnings (those not among the reasons)
    /// One line for the list and the status bar: "needs review: REASON; REASON", "edited by
    /// hand (2 lanes) after detection was unsure", "edited by hand (1 band)", "1 warning: ...";
    /// empty when there is nothing to say.
    QString headline;
    /// The review state and detection's reasons, a line each, under their heading ("Needs
    /// review:", "Edited by hand (...). Before the edits, detection was unsure:"); empty when
    /// detection was sure and nothing was edited.
    QString reviewDetails;
    /// reviewDetails, then the warnings under "Warnings:" (tooltips); empty when there is
    /// nothing to say.
    QString details;

    /// True when the image list and status bar should draw attention (an icon).
    bool hasNotice() const { return !headline.isEmpty(); }
    /// True when a person still has to look: unsure and not yet edited by hand.
    bool isUnreviewed() const { return needsReview && !isEditedByHand; }
};

/// The review state of an image from its geometry (manual flags) and its measurement
/// (warnings, review reasons).
ImageReview imageReviewOf(const ImageGeometry& geometry, const BlotAnalysis& analysis);

} // namespace densito
