#include "document/blot_document.h"

#include "core/image/image_loader.h"
#include "document/qt_strings.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace densito {

/// What the worker thread hands back: either a complete image with its display copies, or
/// the error. Copyable and default-constructible, as QFuture needs.
struct BlotDocument::Loaded {
    QString fileName;
    std::optional<Error> error;
    Image image;
    SignalModel signalModel;
    std::vector<std::string> warnings;
    DisplayRange displayRange;
    bool isHighValueDark = false;
    QImage displayImage;
    QImage saturationOverlay;
};

namespace {

bool highValueDark(Photometric photometric, bool isInverted) {
    return (photometric == Photometric::MinIsWhite) != isInverted;
}

/// The grey of "no signal" (the membrane background end), so padding blends with it.
int noSignalGrey(const SignalModel& model, DisplayRange range, bool isHighDark) {
    const double raw = model.polarity == Polarity::LightBands ? range.lowRaw : range.highRaw;
    return displayGrey(raw, range, isHighDark);
}

} // namespace

BlotDocument::BlotDocument(QObject* parent) : QObject(parent) {}

BlotDocument::~BlotDocument() = default;

void BlotDocument::load(const QString& fileName, int pageIndex) {
    const std::uint64_t generation = ++m_loadGeneration;
    ++m_pendingLoads;
    const bool isInverted = m_isDisplayInverted;
    auto work = [fileName, pageIndex, isInverted]() {
        Loaded result;
        result.fileName = fileName;
        LoadOptions options;
        options.pageIndex = pageIndex;
        auto image = loadImage(toPath(fileName), options);
        if (!image) {
            result.error = image.error();
            return result;
        }
        result.image = std::move(*image);
        result.warnings = result.image.warnings;
        result.signalModel = describeSignal(result.image, PolarityMode::Auto, result.warnings);
        result.displayRange = robustDisplayRange(result.image.raw, result.image.validMask);
        result.isHighValueDark = highValueDark(result.image.metadata.photometric, isInverted);
        result.displayImage = renderDisplayImage(
            result.image.raw, result.image.validMask, result.displayRange, result.isHighValueDark,
            noSignalGrey(result.signalModel, result.displayRange, result.isHighValueDark));
        result.saturationOverlay =
            renderSaturationOverlay(result.image.raw, result.image.validMask, result.signalModel);
        return result;
    };
    auto* watcher = new QFutureWatcher<Loaded>(this);
    connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher, generation] {
        --m_pendingLoads;
        const Loaded result = watcher->result();
        watcher->deleteLater();
        if (generation == m_loadGeneration) {
            finishLoad(result);
        }
    });
    emit loadStarted(fileName);
    watcher->setFuture(QtConcurrent::run(work));
}

void BlotDocument::show(const QString& fileName, const Image& image, const SignalModel& model,
                        const std::vector<std::string>& warnings) {
    ++m_loadGeneration; // a load still running is now stale
    Loaded shown;
    shown.fileName = fileName;
    shown.image = image;
    shown.signalModel = model;
    shown.warnings = warnings;
    shown.displayRange = robustDisplayRange(image.raw, image.validMask);
    shown.isHighValueDark = highValueDark(image.metadata.photometric, m_isDisplayInverted);
    shown.displayImage =
        renderDisplayImage(image.raw, image.validMask, shown.displayRange, shown.isHighValueDark,
                           noSignalGrey(model, shown.displayRange, shown.isHighValueDark));
    shown.saturationOverlay = renderSaturationOverlay(image.raw, image.validMask, model);
    finishLoad(shown);
}

void BlotDocument::clearImage() {
    ++m_loadGeneration;
    m_fileName.clear();
    m_image = Image{};
    m_signalModel = SignalModel{};
    m_warnings.clear();
    m_displayImage = QImage();
    m_saturationOverlay = QImage();
    emit displayChanged();
}

void BlotDocument::finishLoad(const Loaded& result) {
    if (result.error) {
        emit loadFailed(toQString(result.error->describe()));
        return;
    }
    m_fileName = result.fileName;
    m_image = result.image;
    m_signalModel = result.signalModel;
    m_warnings = result.warnings;
    m_displayRange = result.displayRange;
    m_isDisplayRangeAutomatic = true;
    m_displayImage = result.displayImage;
    m_saturationOverlay = result.saturationOverlay;
    if (result.isHighValueDark != isHighValueDark()) {
        // The display was inverted while the worker ran.
        m_displayImage = renderDisplayImage(m_image.raw, m_image.validMask, m_displayRange,
                                            isHighValueDark(), maskedGrey());
    }
    emit loaded();
    emit displayChanged();
}

std::optional<double> BlotDocument::rawValueAt(int x, int y) const {
    const cv::Mat& raw = m_image.raw;
    if (raw.empty() || x < 0 || y < 0 || x >= raw.cols || y >= raw.rows) {
        return std::nullopt;
    }
    return rawAt(raw, x, y);
}

bool BlotDocument::isContentAt(int x, int y) const {
    if (!rawValueAt(x, y)) {
        return false;
    }
    return m_image.validMask.empty() || m_image.validMask.at<std::uint8_t>(y, x) != 0;
}

bool BlotDocument::isSaturatedAt(int x, int y) const {
    const auto raw = rawValueAt(x, y);
    return raw && isContentAt(x, y) && isSaturated(*raw, m_signalModel);
}

void BlotDocument::setDisplayInverted(bool inverted) {
    if (inverted == m_isDisplayInverted) {
        return;
    }
    m_isDisplayInverted = inverted;
    rerenderDisplay();
}

void BlotDocument::setDisplayRange(DisplayRange range) {
    if (!(range.highRaw > range.lowRaw)) {
        range.highRaw = range.lowRaw + 1.0;
    }
    if (!(range.gamma > 0.0)) {
        range.gamma = 1.0;
    }
    m_displayRange = range;
    m_isDisplayRangeAutomatic = false;
    rerenderDisplay();
}

void BlotDocument::setAutomaticDisplayRange() {
    m_isDisplayRangeAutomatic = true;
    if (hasImage()) {
        m_displayRange = robustDisplayRange(m_image.raw, m_image.validMask);
    }
    rerenderDisplay();
}

void BlotDocument::rerenderDisplay() {
    if (hasImage()) {
        m_displayImage = renderDisplayImage(m_image.raw, m_image.validMask, m_displayRange,
                                            isHighValueDark(), maskedGrey());
        emit displayChanged();
    }
}

bool BlotDocument::isHighValueDark() const {
    return highValueDark(m_image.metadata.photometric, m_isDisplayInverted);
}

int BlotDocument::maskedGrey() const {
    return noSignalGrey(m_signalModel, m_displayRange, isHighValueDark());
}

} // namespace densito
