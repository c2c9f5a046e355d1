#include "gui/image_info_panel.h"

#include "document/blot_document.h"
#include "document/image_review.h"
#include "document/project_document.h"
#include "document/qt_strings.h"
#include "gui/elided_label.h"

#include "ui_image_info_panel.h"

#include <QBoxLayout>
#include <QFileInfo>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace densito {
namespace {

// Wide enough for a typical imager file name and the metadata lines without wrapping.
constexpr int kMinimumWidthPx = 340;

QString formatText(const ImageMetadata& meta) {
    QStringList parts{toQString(toString(meta.format))};
    if (!meta.compression.empty() && meta.compression != "none") {
        parts << toQString(meta.compression);
    }
    if (meta.format == FileFormat::Tiff) {
        parts << (meta.tiled ? QObject::tr("tiled") : QObject::tr("strips"));
        parts << (meta.bigEndian ? QObject::tr("big-endian") : QObject::tr("little-endian"));
    }
    if (meta.lossy) {
        parts << QObject::tr("lossy");
    }
    return parts.join(QStringLiteral(", "));
}

QString bitDepthText(const ImageMetadata& meta) {
    const QString kind = meta.sampleKind == SampleKind::Float ? QObject::tr("float")
                                                              : QObject::tr("unsigned integer");
    QString text = QObject::tr("%1-bit %2").arg(meta.bitsPerSample).arg(kind);
    if (meta.samplesPerPixel > 1) {
        text += QObject::tr(" (%1 samples per pixel, read as luminance)").arg(meta.samplesPerPixel);
    }
    return text;
}

QString instrumentText(const ImageMetadata& meta) {
    // Imagers often repeat the model inside the software name; show each fact once.
    QStringList parts;
    for (const std::string* field : {&meta.make, &meta.model, &meta.software}) {
        const QString text = toQString(*field).trimmed();
        if (text.isEmpty()) {
            continue;
        }
        bool isRepeated = false;
        for (QString& part : parts) {
            if (part.contains(text)) {
                isRepeated = true;
            } else if (text.contains(part)) {
                part = text;
                isRepeated = true;
            }
        }
        if (!isRepeated) {
            parts << text;
        }
    }
    parts.removeDuplicates();
    return parts.isEmpty() ? QObject::tr("not recorded") : parts.join(QStringLiteral("\n"));
}

/// "stored data: light bands on dark (shown inverted); from the pixels": the polarity is the
/// stored data's, which the display may show the other way round (a min-is-white tag, Invert
/// Display).
QString polarityText(const SignalModel& model, bool isHighValueDark) {
    const bool isLightBands = model.polarity == Polarity::LightBands;
    QString text = isLightBands ? QObject::tr("stored data: light bands on dark")
                                : QObject::tr("stored data: dark bands on light");
    // Light bands are high values: shown dark, the picture has them the other way round.
    if (isLightBands == isHighValueDark) {
        text += QObject::tr(" (shown inverted)");
    }
    if (!model.isPolarityFromPixels) {
        text += QObject::tr("; set by the user");
    } else if (!model.isPolarityConfident) {
        text += QObject::tr("; unclear from the pixels");
    } else {
        text += QObject::tr("; from the pixels");
    }
    return text;
}

/// Raw values are written as the status bar and the CSV files write them (no digit grouping).
QString rawText(double raw, const ImageMetadata& meta) {
    return meta.sampleKind == SampleKind::Float ? QString::number(raw, 'g', 7)
                                                : QString::number(std::llround(raw));
}

QString saturationText(const SignalModel& model, const ImageMetadata& meta) {
    if (!std::isfinite(model.saturationRaw)) {
        return QObject::tr("unknown (%1)").arg(toQString(model.saturationSource));
    }
    return QObject::tr("%1 (%2)").arg(rawText(model.saturationRaw, meta),
                                      toQString(model.saturationSource));
}

QString saturatedPixelsText(const SignalModel& model, const ImageMetadata& meta) {
    const auto total = static_cast<double>(meta.width) * static_cast<double>(meta.height);
    const auto count = static_cast<double>(model.saturatedPixels);
    const QString number = QLocale().toString(static_cast<qulonglong>(model.saturatedPixels));
    if (model.saturatedPixels == 0 || total <= 0.0) {
        return number;
    }
    const double percent = 100.0 * count / total;
    // Two significant digits, never in exponent notation: "0.012%", "3.4%", "52%", "100%".
    const int decimals = percent >= 10.0  ? 0
                         : percent >= 1.0 ? 1
                                          : 1 - static_cast<int>(std::floor(std::log10(percent)));
    return QObject::tr("%1 (%2% of the image)")
        .arg(number, QLocale().toString(percent, 'f', std::min(decimals, 6)));
}

} // namespace

ImageInfoPanel::ImageInfoPanel(const BlotDocument& document, const ProjectDocument* project,
                               QWidget* parent)
    : QWidget(parent), m_document(document), m_project(project),
      m_ui(std::make_unique<Ui::ImageInfoPanel>()) {
    m_ui->setupUi(this);
    // The review state first, where the eye starts; framed in the warning colour.
    m_review = new QLabel(this);
    m_review->setObjectName(QStringLiteral("reviewValue"));
    m_review->setWordWrap(true);
    m_review->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_review->setStyleSheet(QStringLiteral("QLabel { background: #fff4d6; border: 1px solid "
                                           "#e0a800; border-radius: 3px; padding: 4px; }"));
    if (auto* box = qobject_cast<QBoxLayout*>(layout())) {
        box->insertWidget(0, m_review);
    }
    m_review->hide();
    setMinimumWidth(kMinimumWidthPx);
    QFont captionFont = m_ui->warningsCaption->font();
    captionFont.setBold(true);
    m_ui->warningsCaption->setFont(captionFont);
    m_ui->sha256Value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(&m_document, &BlotDocument::loaded, this, &ImageInfoPanel::refresh);
    connect(&m_document, &BlotDocument::displayChanged, this, &ImageInfoPanel::refresh);
    if (m_project != nullptr) {
        connect(m_project, &ProjectDocument::currentImageChanged, this, &ImageInfoPanel::refresh);
        connect(m_project, &ProjectDocument::imageChanged, this, [this](int image) {
            if (image == m_project->currentImage()) {
                refresh();
            }
        });
    }
    refresh();
}

QString ImageInfoPanel::reviewText() const {
    return m_review->isVisibleTo(this) ? m_review->text() : QString();
}

QString ImageInfoPanel::polarityText() const {
    return m_ui->polarityValue->text();
}

QString ImageInfoPanel::warningsText() const {
    return m_ui->warningsValue->text();
}

ImageInfoPanel::~ImageInfoPanel() = default;

void ImageInfoPanel::refresh() {
    const bool hasImage = m_document.hasImage();
    m_ui->emptyLabel->setVisible(!hasImage);
    m_ui->details->setVisible(hasImage);
    // The project's current image is the one the document shows (MainWindow keeps them so).
    const int image = m_project != nullptr ? m_project->currentImage() : -1;
    const bool hasAnalysis = hasImage && image >= 0 && image < m_project->imageCount() &&
                             m_project->loadedImage(image) != nullptr;
    const ImageReview review =
        hasAnalysis ? imageReviewOf(m_project->image(image).geometry, m_project->analysis(image))
                    : ImageReview{};
    m_review->setText((review.isUnreviewed() ? tr("⚠ ") : QString()) + review.reviewDetails);
    m_review->setVisible(!review.reviewDetails.isEmpty());
    if (!hasImage) {
        return;
    }
    const ImageMetadata& meta = m_document.metadata();
    const SignalModel& model = m_document.signalModel();
    const QFileInfo file(m_document.fileName());

    m_ui->fileValue->setFullText(file.fileName());
    m_ui->fileValue->setToolTip(file.absoluteFilePath());
    m_ui->formatValue->setText(formatText(meta));
    m_ui->sizeValue->setText(
        tr("%1 × %2 px, %3")
            .arg(meta.width)
            .arg(meta.height)
            .arg(QLocale().formattedDataSize(static_cast<qint64>(meta.fileSizeBytes))));
    m_ui->bitDepthValue->setText(bitDepthText(meta));
    m_ui->pageValue->setText(tr("%1 of %2").arg(meta.pageIndex + 1).arg(meta.pageCount));
    m_ui->photometricValue->setText(
        tr("%1 (display hint only)").arg(toQString(toString(meta.photometric))));
    m_ui->instrumentValue->setText(instrumentText(meta));
    m_ui->polarityValue->setText(densito::polarityText(model, m_document.isHighValueDark()));
    m_ui->saturationLevelValue->setText(saturationText(model, meta));
    m_ui->saturatedPixelsValue->setText(saturatedPixelsText(model, meta));
    const DisplayRange range = m_document.displayRange();
    m_ui->contrastValue->setText(
        tr("raw %1 – %2 (%3–%4th percentile)")
            .arg(rawText(range.lowRaw, meta), rawText(range.highRaw, meta),
                 QLocale().toString(100.0 * kDisplayLowQuantile, 'g', 3),
                 QLocale().toString(100.0 * kDisplayHighQuantile, 'g', 3)));
    m_ui->sha256Value->setFullText(toQString(meta.sha256));

    QStringList warnings;
    for (const std::string& warning : m_document.warnings()) {
        warnings << QStringLiteral("• ") + toQString(warning);
    }
    // The analysis's own (detection, measurement), after the file's.
    for (const QString& warning : review.warnings) {
        warnings << QStringLiteral("• ") + warning;
    }
    m_ui->warningsValue->setText(warnings.isEmpty() ? tr("None")
                                                    : warnings.join(QStringLiteral("\n")));
}

} // namespace densito
