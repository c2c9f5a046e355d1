#pragma once

#include "core/image/image.h"
#include "core/image/signal.h"
#include "document/display_rendering.h"

#include <QImage>
#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace densito {

/// One blot image opened for viewing: the raw pixels exactly as the core loaded them, their
/// signal model (polarity and saturation, decided from the pixels) and an 8-bit display copy.
///
/// load() reads and inspects the file on a worker thread (QtConcurrent) and reports back on
/// the document's thread with loaded() or loadFailed(); a newer load() supersedes one still
/// running, whose result is dropped. Until loaded() the previous image stays current.
/// Display settings (inversion) change only displayImage(), never the raw values or the
/// signal model. Use from the thread that owns the document (the UI thread).
class BlotDocument : public QObject {
    Q_OBJECT

public:
    explicit BlotDocument(QObject* parent = nullptr);
    ~BlotDocument() override;

    /// Starts loading page `pageIndex` (0-based) of `fileName`. Returns at once.
    void load(const QString& fileName, int pageIndex = 0);
    /// Shows an image already loaded elsewhere (a project's), with the signal model it is
    /// measured with: renders the display copies on this thread, supersedes any load in
    /// flight, then emits loaded() and displayChanged(). `image` shares its pixels (cv::Mat).
    void show(const QString& fileName, const Image& image, const SignalModel& model,
              const std::vector<std::string>& warnings);
    /// Forgets the image (after a project is closed): hasImage() is false again.
    void clearImage();
    bool isLoading() const { return m_pendingLoads > 0; }

    bool hasImage() const { return !m_image.raw.empty(); }
    /// The file of the current image as given to load(); empty before the first load.
    const QString& fileName() const { return m_fileName; }
    const Image& image() const { return m_image; }
    const ImageMetadata& metadata() const { return m_image.metadata; }
    const SignalModel& signalModel() const { return m_signalModel; }
    /// Everything the core said about the file: the reader's warnings, then the signal's.
    const std::vector<std::string>& warnings() const { return m_warnings; }

    /// The stored value at image pixel (x, y) (column, row; origin top left), exactly as in
    /// the file; nullopt outside the image or before a load.
    std::optional<double> rawValueAt(int x, int y) const;
    /// False for pixels the file marks as not image content (transparent padding).
    bool isContentAt(int x, int y) const;
    bool isSaturatedAt(int x, int y) const;

    /// The display contrast: automatic (robustDisplayRange, gamma 1) for each new image,
    /// or as set by setDisplayRange().
    DisplayRange displayRange() const { return m_displayRange; }
    /// Shows raw values `range.lowRaw`..`range.highRaw` through `range.gamma` (a range that is
    /// empty or reversed is widened by one raw unit). Display only.
    void setDisplayRange(DisplayRange range);
    /// Back to the automatic contrast of the current image.
    void setAutomaticDisplayRange();
    bool isDisplayRangeAutomatic() const { return m_isDisplayRangeAutomatic; }
    /// True when the display is flipped from the file's own presentation (its photometric
    /// hint: min-is-white files show large values dark). Kept across loads.
    bool isDisplayInverted() const { return m_isDisplayInverted; }
    void setDisplayInverted(bool inverted);
    /// True when large raw values are currently shown dark.
    bool isHighValueDark() const;

    /// 8-bit grey view of the raw values (Format_Grayscale8); null before a load.
    const QImage& displayImage() const { return m_displayImage; }
    /// Saturated pixels in red on transparent, same size as displayImage(); null when no
    /// pixel is saturated.
    const QImage& saturationOverlay() const { return m_saturationOverlay; }

signals:
    void loadStarted(const QString& fileName);
    /// A load finished and the document now holds its image.
    void loaded();
    /// A load failed; the previous image (if any) stays. `message` names the file and the
    /// reason, as the core describes it.
    void loadFailed(const QString& message);
    /// displayImage() was rebuilt (after a load or a display setting change).
    void displayChanged();

private:
    struct Loaded;
    void finishLoad(const Loaded& result);
    int maskedGrey() const;
    void rerenderDisplay();

    QString m_fileName;
    Image m_image;
    SignalModel m_signalModel;
    std::vector<std::string> m_warnings;
    DisplayRange m_displayRange;
    bool m_isDisplayInverted = false;
    bool m_isDisplayRangeAutomatic = true;
    QImage m_displayImage;
    QImage m_saturationOverlay;
    std::uint64_t m_loadGeneration = 0;
    int m_pendingLoads = 0;
};

} // namespace densito
