#include "core/measure/doublet_split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <opencv2/core.hpp>

namespace densito {
namespace {

/// The unknowns of one lane that enter the model linearly: each band's area and the
/// background line, offset + slope * (row - middle row).
struct LaneLinear {
    double area[2] = {0.0, 0.0};
    double offset = 0.0;
    double slope = 0.0;
};

/// The background line's regressor at row `i` of `n`, centred so offset and slope are
/// uncorrelated.
double slopeRegressor(int i, int n) {
    return i - 0.5 * (n - 1);
}

/// Sigma and tail length of the upper (0) and lower (1) band.
struct DoubletShape {
    double sigma[2] = {1.0, 1.0};
    double tau[2] = {1.0, 1.0};
};

/// The fit's nonlinear unknowns: log sigma and log tau (one pair when the bands share their
/// shape, else one per band; logarithms keep them positive), the distance from the upper to
/// the lower band's centre (smile and tilt move both bands of a lane alike), then per lane the
/// upper band's centre and, with lane scales, each band's log width scale in that lane.
class DoubletModel {
public:
    DoubletModel(std::span<const DoubletProfile> lanes, bool sharesShape, bool hasLaneScales)
        : m_lanes(lanes), m_sharesShape(sharesShape), m_hasLaneScales(hasLaneScales) {
        m_shortest = std::numeric_limits<double>::infinity();
        for (const DoubletProfile& lane : lanes) {
            const auto n = static_cast<double>(lane.values.size());
            m_longest = std::max(m_longest, n);
            m_shortest = std::min(m_shortest, n);
            m_totalRows += lane.values.size();
        }
    }

    int shapeCount() const { return m_sharesShape ? 2 : 4; }
    int separationIndex() const { return shapeCount(); }
    /// Unknowns that every lane depends on.
    int globalCount() const { return shapeCount() + 1; }
    int perLaneCount() const { return m_hasLaneScales ? 3 : 1; }
    int shiftIndex(std::size_t lane) const {
        return globalCount() + perLaneCount() * static_cast<int>(lane);
    }
    int scaleIndex(std::size_t lane, int band) const { return shiftIndex(lane) + 1 + band; }
    int parameterCount() const {
        return globalCount() + perLaneCount() * static_cast<int>(m_lanes.size());
    }
    std::size_t laneCount() const { return m_lanes.size(); }
    std::size_t totalRows() const { return m_totalRows; }
    const DoubletProfile& lane(std::size_t index) const { return m_lanes[index]; }

    /// The shape in lane `lane`, its width scales applied.
    DoubletShape shape(const std::vector<double>& p, std::size_t lane) const {
        DoubletShape s;
        for (int band = 0; band < 2; ++band) {
            const auto k = static_cast<std::size_t>(m_sharesShape ? 0 : 2 * band);
            const double scale = m_hasLaneScales
                                     ? std::exp(p[static_cast<std::size_t>(scaleIndex(lane, band))])
                                     : 1.0;
            s.sigma[band] = scale * std::exp(p[k]);
            s.tau[band] = scale * std::exp(p[k + 1]);
        }
        return s;
    }

    double centre(const std::vector<double>& p, std::size_t lane, int band) const {
        return p[static_cast<std::size_t>(shiftIndex(lane))] +
               (band == 1 ? p[static_cast<std::size_t>(separationIndex())] : 0.0);
    }

    /// Unit-area basis of band `band` at row `row` of lane `lane`, whose shape is `s`.
    double basis(const std::vector<double>& p, const DoubletShape& s, std::size_t lane, int band,
                 int row) const {
        return emgTowardWells(row, centre(p, lane, band), s.sigma[band], s.tau[band]);
    }

    /// The linear unknowns that fit lane `lane` best for the nonlinear ones (weighted linear
    /// least squares), and the lane's weighted residuals (value - model) / noise.
    void solveLane(const std::vector<double>& p, std::size_t laneIndex, LaneLinear& linear,
                   double* residuals) const {
        const DoubletProfile& profile = m_lanes[laneIndex];
        const DoubletShape s = shape(p, laneIndex);
        const int n = static_cast<int>(profile.values.size());
        m_columns.resize(2 * static_cast<std::size_t>(n));
        cv::Matx44d normal = cv::Matx44d::zeros();
        cv::Vec4d right(0, 0, 0, 0);
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const double weight = 1.0 / (profile.noise[k] * profile.noise[k]);
            const double column[4] = {basis(p, s, laneIndex, 0, i), basis(p, s, laneIndex, 1, i),
                                      1.0, slopeRegressor(i, n)};
            m_columns[2 * k] = column[0];
            m_columns[2 * k + 1] = column[1];
            for (int a = 0; a < 4; ++a) {
                right[a] += weight * column[a] * profile.values[k];
                for (int b = 0; b < 4; ++b) {
                    normal(a, b) += weight * column[a] * column[b];
                }
            }
        }
        // A tiny ridge keeps coinciding components solvable; such a fit is rejected later.
        for (int a = 0; a < 4; ++a) {
            normal(a, a) += 1e-12 * normal(a, a) + 1e-300;
        }
        cv::Vec4d solution;
        if (!cv::solve(normal, right, solution, cv::DECOMP_CHOLESKY)) {
            cv::solve(normal, right, solution, cv::DECOMP_SVD);
        }
        linear = {{solution[0], solution[1]}, solution[2], solution[3]};
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const double model = linear.area[0] * m_columns[2 * k] +
                                 linear.area[1] * m_columns[2 * k + 1] + linear.offset +
                                 linear.slope * slopeRegressor(i, n);
            residuals[k] = (profile.values[k] - model) / profile.noise[k];
        }
    }

    /// Weighted residuals of every lane, lane after lane, each with its best linear unknowns.
    std::vector<double> residuals(const std::vector<double>& p) const {
        std::vector<double> r(m_totalRows);
        std::size_t offset = 0;
        LaneLinear linear;
        for (std::size_t l = 0; l < m_lanes.size(); ++l) {
            solveLane(p, l, linear, r.data() + offset);
            offset += m_lanes[l].values.size();
        }
        return r;
    }

    /// Keeps the unknowns where the model means something: sigma from 0.3 px and tau from
    /// 0.01 px up to a quarter of the shortest profile (the detector's extents reach to 2% of
    /// a band's peak, 3.9 tails or 2.8 sigmas from it; a longer tail is a background slope),
    /// the separation from half a pixel to the longest profile, each upper centre within a
    /// quarter of its profile's length, width scales within a factor 1.35.
    void clamp(std::vector<double>& p) const {
        for (int k = 0; k < shapeCount(); k += 2) {
            auto& logSigma = p[static_cast<std::size_t>(k)];
            auto& logTau = p[static_cast<std::size_t>(k + 1)];
            logSigma = std::clamp(logSigma, std::log(0.3), std::log(0.25 * m_shortest));
            logTau = std::clamp(logTau, std::log(0.01), std::log(0.25 * m_shortest));
        }
        auto& separation = p[static_cast<std::size_t>(separationIndex())];
        separation = std::clamp(separation, 0.5, m_longest);
        for (std::size_t l = 0; l < m_lanes.size(); ++l) {
            const auto n = static_cast<double>(m_lanes[l].values.size());
            auto& shift = p[static_cast<std::size_t>(shiftIndex(l))];
            shift = std::clamp(shift, -0.25 * n, 1.25 * n);
            for (int band = 0; m_hasLaneScales && band < 2; ++band) {
                auto& scale = p[static_cast<std::size_t>(scaleIndex(l, band))];
                scale = std::clamp(scale, -0.3, 0.3);
            }
        }
    }

    /// The narrower band's sigma before lane scales: the unit for limiting steps in position.
    double smallestSigma(const std::vector<double>& p) const {
        return std::exp(std::min(p[0], p[static_cast<std::size_t>(shapeCount() - 2)]));
    }

private:
    std::span<const DoubletProfile> m_lanes;
    bool m_sharesShape = true;
    bool m_hasLaneScales = false;
    double m_longest = 1.0;
    double m_shortest = 1.0;
    std::size_t m_totalRows = 0;
    mutable std::vector<double> m_columns; ///< scratch: the two bases of the lane being solved
};

double sumOfSquares(const std::vector<double>& values) {
    double sum = 0;
    for (const double v : values) {
        sum += v * v;
    }
    return sum;
}

constexpr double kDifferenceStep = 1e-5;

/// d residuals / d p by central differences. A lane's own unknowns change only its rows, so
/// only those are recomputed.
cv::Mat jacobian(const DoubletModel& model, const std::vector<double>& p) {
    const int rows = static_cast<int>(model.totalRows());
    cv::Mat j = cv::Mat::zeros(rows, model.parameterCount(), CV_64F);
    for (int c = 0; c < model.globalCount(); ++c) {
        std::vector<double> plus = p;
        std::vector<double> minus = p;
        plus[static_cast<std::size_t>(c)] += kDifferenceStep;
        minus[static_cast<std::size_t>(c)] -= kDifferenceStep;
        const std::vector<double> rPlus = model.residuals(plus);
        const std::vector<double> rMinus = model.residuals(minus);
        for (int r = 0; r < rows; ++r) {
            const auto k = static_cast<std::size_t>(r);
            j.at<double>(r, c) = (rPlus[k] - rMinus[k]) / (2.0 * kDifferenceStep);
        }
    }
    int offset = 0;
    LaneLinear linear;
    for (std::size_t l = 0; l < model.laneCount(); ++l) {
        const std::size_t n = model.lane(l).values.size();
        std::vector<double> rPlus(n);
        std::vector<double> rMinus(n);
        for (int c = model.shiftIndex(l); c < model.shiftIndex(l) + model.perLaneCount(); ++c) {
            std::vector<double> plus = p;
            std::vector<double> minus = p;
            plus[static_cast<std::size_t>(c)] += kDifferenceStep;
            minus[static_cast<std::size_t>(c)] -= kDifferenceStep;
            model.solveLane(plus, l, linear, rPlus.data());
            model.solveLane(minus, l, linear, rMinus.data());
            for (std::size_t r = 0; r < n; ++r) {
                j.at<double>(offset + static_cast<int>(r), c) =
                    (rPlus[r] - rMinus[r]) / (2.0 * kDifferenceStep);
            }
        }
        offset += static_cast<int>(n);
    }
    return j;
}

/// Levenberg-Marquardt with Marquardt's diagonal scaling, from `p`; returns the final cost.
double levenbergMarquardt(const DoubletModel& model, std::vector<double>& p) {
    model.clamp(p);
    std::vector<double> r = model.residuals(p);
    double cost = sumOfSquares(r);
    double lambda = 1e-3;
    const int count = model.parameterCount();
    for (int iteration = 0; iteration < 100; ++iteration) {
        const cv::Mat j = jacobian(model, p);
        const cv::Mat normal = j.t() * j;
        const cv::Mat gradient = j.t() * cv::Mat(r);
        bool isImproved = false;
        double newCost = cost;
        std::vector<double> trial;
        while (lambda < 1e12) {
            cv::Mat damped = normal.clone();
            for (int d = 0; d < count; ++d) {
                damped.at<double>(d, d) += lambda * normal.at<double>(d, d) + 1e-12;
            }
            cv::Mat step;
            if (!cv::solve(damped, -gradient, step, cv::DECOMP_CHOLESKY)) {
                cv::solve(damped, -gradient, step, cv::DECOMP_SVD);
            }
            // A long Gauss-Newton step can move one lane's bands into another minimum while
            // the other lanes pay for it: at most half a sigma in position and a factor 1.65
            // in width per step.
            const double positionLimit = 0.5 * model.smallestSigma(p);
            double excess = 1.0;
            for (int d = 0; d < count; ++d) {
                const bool isPosition = d == model.separationIndex() ||
                                        (d >= model.globalCount() &&
                                         (d - model.globalCount()) % model.perLaneCount() == 0);
                excess = std::max(excess, std::abs(step.at<double>(d)) /
                                              (isPosition ? positionLimit : 0.5));
            }
            trial = p;
            for (int d = 0; d < count; ++d) {
                trial[static_cast<std::size_t>(d)] += step.at<double>(d) / excess;
            }
            model.clamp(trial);
            newCost = sumOfSquares(model.residuals(trial));
            if (std::isfinite(newCost) && newCost < cost) {
                isImproved = true;
                lambda = std::max(lambda / 3.0, 1e-12);
                break;
            }
            lambda *= 4.0;
        }
        if (!isImproved) {
            break;
        }
        const double gain = cost - newCost;
        p = std::move(trial);
        r = model.residuals(p);
        cost = newCost;
        if (gain <= 1e-10 * cost + 1e-300) {
            break;
        }
    }
    return cost;
}

/// The position of an EMG's maximum, by golden-section search between centre - tau - sigma
/// and centre (a tail toward smaller x puts the maximum at or before the centre).
double emgMode(double centre, double sigma, double tau) {
    double lo = centre - tau - sigma;
    double hi = centre;
    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;
    for (int i = 0; i < 60; ++i) {
        const double a = hi - ratio * (hi - lo);
        const double b = lo + ratio * (hi - lo);
        if (emgTowardWells(a, centre, sigma, tau) < emgTowardWells(b, centre, sigma, tau)) {
            lo = a;
        } else {
            hi = b;
        }
    }
    return 0.5 * (lo + hi);
}

/// Half-width at half maximum of the lower band's far side (away from the wells), where no
/// tail and no neighbour widen it, as a Gaussian sigma (/ sqrt(2 ln 2)).
double farSideSigma(const DoubletProfile& lane) {
    const int n = static_cast<int>(lane.values.size());
    const int peak = std::clamp(static_cast<int>(std::lround(lane.lowerPeak)), 0, n - 1);
    const double half = 0.5 * lane.values[static_cast<std::size_t>(peak)];
    int i = peak;
    while (i + 1 < n && lane.values[static_cast<std::size_t>(i + 1)] > half) {
        ++i;
    }
    double width = i - peak + 0.5;
    if (i + 1 < n) {
        const double above = lane.values[static_cast<std::size_t>(i)];
        const double below = lane.values[static_cast<std::size_t>(i + 1)];
        width = i - peak + (above - half) / std::max(above - below, 1e-300);
    }
    return std::max(0.5, width / std::sqrt(2.0 * std::numbers::ln2));
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    if (n == 0) {
        return 0.0;
    }
    return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/// Each band's part of the fitted doublet within the lane's rows: area times its basis summed
/// over the rows (a tail beyond the rows is not in the box either).
std::array<double, 2> bandMasses(const DoubletModel& model, const std::vector<double>& p,
                                 std::size_t lane, const double area[2]) {
    const DoubletShape s = model.shape(p, lane);
    const int n = static_cast<int>(model.lane(lane).values.size());
    std::array<double, 2> mass = {0.0, 0.0};
    for (int i = 0; i < n; ++i) {
        mass[0] += area[0] * model.basis(p, s, lane, 0, i);
        mass[1] += area[1] * model.basis(p, s, lane, 1, i);
    }
    return mass;
}

double upperFraction(const DoubletModel& model, const std::vector<double>& p, std::size_t lane,
                     const double area[2]) {
    const std::array<double, 2> mass = bandMasses(model, p, lane, area);
    return mass[0] / (mass[0] + mass[1]);
}

std::vector<double> valleyCut(const DoubletProfile& lane) {
    std::vector<double> share(lane.values.size(), 0.0);
    for (std::size_t i = 0; i < share.size(); ++i) {
        share[i] = static_cast<int>(i) < lane.lowerFirst ? 1.0 : 0.0;
    }
    return share;
}

/// Starting points of the shared-shape model: sigma from the far side of the lower bands,
/// tails of 0.3, 1 and 3 sigmas, each band's maximum on its peak.
std::vector<std::vector<double>> sharedStartingPoints(const DoubletModel& model) {
    std::vector<double> sigmas;
    std::vector<double> separations;
    for (std::size_t l = 0; l < model.laneCount(); ++l) {
        sigmas.push_back(farSideSigma(model.lane(l)));
        separations.push_back(model.lane(l).lowerPeak - model.lane(l).upperPeak);
    }
    const double sigma = median(sigmas);
    std::vector<std::vector<double>> starts;
    for (const double tauRatio : {0.3, 1.0, 3.0}) {
        const double tau = tauRatio * sigma;
        const double peakToCentre = -emgMode(0.0, sigma, tau);
        std::vector<double> p(static_cast<std::size_t>(model.parameterCount()), 0.0);
        p[0] = std::log(sigma);
        p[1] = std::log(tau);
        p[static_cast<std::size_t>(model.separationIndex())] = median(separations);
        for (std::size_t l = 0; l < model.laneCount(); ++l) {
            p[static_cast<std::size_t>(model.shiftIndex(l))] =
                model.lane(l).upperPeak + peakToCentre;
        }
        starts.push_back(std::move(p));
    }
    return starts;
}

/// Per-lane verdict of a finished fit.
struct LaneVerdict {
    bool isSound = false;
    double residualScore = 0.0; ///< the lane's residual in units of the limits (<= 1: fits)
    LaneLinear linear;
};

/// Judges a finished fit lane by lane, then splits all its lanes or none.
void judgeFit(const DoubletModel& model, const std::vector<double>& best, double bestCost,
              const DoubletFitOptions& options, std::span<DoubletSplit* const> splits) {
    const std::size_t laneCount = model.laneCount();
    std::vector<LaneVerdict> verdicts(laneCount);
    std::vector<double> residuals(model.totalRows());
    {
        std::size_t offset = 0;
        for (std::size_t l = 0; l < laneCount; ++l) {
            model.solveLane(best, l, verdicts[l].linear, residuals.data() + offset);
            offset += model.lane(l).values.size();
        }
    }

    // Covariance of every unknown, the linear ones included, scaled by the reduced chi-square
    // when the model fits worse than the noise says, so a poor fit widens its error bars.
    const int nonlinear = model.parameterCount();
    const int total = nonlinear + 4 * static_cast<int>(laneCount);
    const int rows = static_cast<int>(model.totalRows());
    auto linearIndex = [&](std::size_t lane, int which) {
        return nonlinear + 4 * static_cast<int>(lane) + which;
    };
    cv::Mat j = cv::Mat::zeros(rows, total, CV_64F);
    int offset = 0;
    for (std::size_t l = 0; l < laneCount; ++l) {
        const DoubletProfile& lane = model.lane(l);
        const int n = static_cast<int>(lane.values.size());
        const LaneLinear& linear = verdicts[l].linear;
        // The lane's model with its linear unknowns held.
        auto laneModel = [&](const std::vector<double>& p, std::vector<double>& out) {
            const DoubletShape s = model.shape(p, l);
            out.resize(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                out[static_cast<std::size_t>(i)] = linear.area[0] * model.basis(p, s, l, 0, i) +
                                                   linear.area[1] * model.basis(p, s, l, 1, i) +
                                                   linear.offset +
                                                   linear.slope * slopeRegressor(i, n);
            }
        };
        std::vector<double> plusModel;
        std::vector<double> minusModel;
        auto differentiate = [&](int c) {
            std::vector<double> plus = best;
            std::vector<double> minus = best;
            plus[static_cast<std::size_t>(c)] += kDifferenceStep;
            minus[static_cast<std::size_t>(c)] -= kDifferenceStep;
            laneModel(plus, plusModel);
            laneModel(minus, minusModel);
            for (int i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(i);
                j.at<double>(offset + i, c) =
                    -(plusModel[k] - minusModel[k]) / (2.0 * kDifferenceStep) / lane.noise[k];
            }
        };
        for (int c = 0; c < model.globalCount(); ++c) {
            differentiate(c);
        }
        for (int c = model.shiftIndex(l); c < model.shiftIndex(l) + model.perLaneCount(); ++c) {
            differentiate(c);
        }
        const DoubletShape s = model.shape(best, l);
        for (int i = 0; i < n; ++i) {
            const double noise = lane.noise[static_cast<std::size_t>(i)];
            j.at<double>(offset + i, linearIndex(l, 0)) = -model.basis(best, s, l, 0, i) / noise;
            j.at<double>(offset + i, linearIndex(l, 1)) = -model.basis(best, s, l, 1, i) / noise;
            j.at<double>(offset + i, linearIndex(l, 2)) = -1.0 / noise;
            j.at<double>(offset + i, linearIndex(l, 3)) = -slopeRegressor(i, n) / noise;
        }
        offset += n;
    }
    cv::Mat covariance;
    cv::invert(j.t() * j, covariance, cv::DECOMP_SVD);
    covariance *= std::max(1.0, bestCost / std::max(1, rows - total));

    std::vector<std::vector<double>> shares(laneCount);
    std::vector<double> scores;
    offset = 0;
    for (std::size_t l = 0; l < laneCount; ++l) {
        const DoubletProfile& lane = model.lane(l);
        const int n = static_cast<int>(lane.values.size());
        DoubletSplit& split = *splits[l];
        LaneVerdict& verdict = verdicts[l];
        const double* area = verdict.linear.area;
        double sumSquares = 0;
        double sumRawSquares = 0;
        for (int i = 0; i < n; ++i) {
            const double r = residuals[static_cast<std::size_t>(offset + i)];
            const double raw = r * lane.noise[static_cast<std::size_t>(i)];
            sumSquares += r * r;
            sumRawSquares += raw * raw;
        }
        offset += n;
        const std::array<double, 2> mass = bandMasses(model, best, l, area);
        const double sumMass = mass[0] + mass[1];
        const double fraction = mass[0] / sumMass;
        split.upperFraction = fraction;
        split.residualRms = std::sqrt(sumSquares / n);
        split.relativeResidualRms =
            std::sqrt(sumRawSquares / n) / std::max(std::abs(sumMass) / n, 1e-300);

        // Standard error of the fraction: its gradient over the unknowns it depends on.
        std::vector<int> columns;
        std::vector<double> gradient;
        auto addNonlinear = [&](int c) {
            std::vector<double> plus = best;
            std::vector<double> minus = best;
            plus[static_cast<std::size_t>(c)] += kDifferenceStep;
            minus[static_cast<std::size_t>(c)] -= kDifferenceStep;
            columns.push_back(c);
            gradient.push_back(
                (upperFraction(model, plus, l, area) - upperFraction(model, minus, l, area)) /
                (2.0 * kDifferenceStep));
        };
        for (int c = 0; c < model.globalCount(); ++c) {
            addNonlinear(c);
        }
        for (int c = model.shiftIndex(l); c < model.shiftIndex(l) + model.perLaneCount(); ++c) {
            addNonlinear(c);
        }
        // fraction = m0 / (m0 + m1), each mass proportional to its area.
        const double product = mass[0] * mass[1] / (sumMass * sumMass);
        columns.push_back(linearIndex(l, 0));
        gradient.push_back(area[0] != 0 ? product / area[0] : 0.0);
        columns.push_back(linearIndex(l, 1));
        gradient.push_back(area[1] != 0 ? -product / area[1] : 0.0);
        double variance = 0;
        for (std::size_t a = 0; a < columns.size(); ++a) {
            for (std::size_t b = 0; b < columns.size(); ++b) {
                variance +=
                    gradient[a] * gradient[b] * covariance.at<double>(columns[a], columns[b]);
            }
        }
        split.upperFractionSd = std::sqrt(std::max(0.0, variance));

        const DoubletShape s = model.shape(best, l);
        const double valley = lane.lowerFirst - 0.5;
        const bool isOrdered = emgMode(model.centre(best, l, 0), s.sigma[0], s.tau[0]) < valley &&
                               emgMode(model.centre(best, l, 1), s.sigma[1], s.tau[1]) > valley;
        const bool isPositive = area[0] > 0 && area[1] > 0 && std::isfinite(fraction);
        // The covariance knows the noise only. Where the profile differs from two EMGs beyond
        // the noise, that part of the residual may sit all on one side and move the share by
        // up to its relative RMS; a weak band beside a strong one takes that error whole.
        const double rms = std::max(split.residualRms, 1.0);
        const double modelError = split.relativeResidualRms * std::sqrt(1.0 - 1.0 / (rms * rms));
        const double shareError = std::hypot(split.upperFractionSd, modelError);
        verdict.isSound =
            isOrdered && isPositive &&
            shareError <= options.maxRelativeShareSd * std::min(fraction, 1.0 - fraction);
        verdict.residualScore =
            std::min(split.residualRms / options.maxResidualRms,
                     split.relativeResidualRms / options.maxRelativeResidualRms);
        scores.push_back(verdict.residualScore);

        shares[l] = split.upperShare;
        for (int i = 0; i < n; ++i) {
            const double upper = area[0] * model.basis(best, s, l, 0, i);
            const double lower = area[1] * model.basis(best, s, l, 1, i);
            // Far out in both tails the model says nothing: the cut stays there.
            if (upper + lower > 1e-9 * sumMass) {
                shares[l][static_cast<std::size_t>(i)] =
                    std::clamp(upper / (upper + lower), 0.0, 1.0);
            }
        }
    }

    // All lanes or none; a speck of dust in one lane need not veto the others.
    const bool isGood =
        std::all_of(verdicts.begin(), verdicts.end(),
                    [](const LaneVerdict& v) { return v.isSound && v.residualScore <= 2.0; }) &&
        median(scores) <= 1.0;
    if (!isGood) {
        return;
    }
    for (std::size_t l = 0; l < laneCount; ++l) {
        DoubletSplit& split = *splits[l];
        const LaneLinear& linear = verdicts[l].linear;
        const int n = static_cast<int>(model.lane(l).values.size());
        split.isSplit = true;
        split.upperShare = std::move(shares[l]);
        split.background.resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            split.background[static_cast<std::size_t>(i)] =
                linear.offset + linear.slope * slopeRegressor(i, n);
        }
    }
}

} // namespace

double emgTowardWells(double x, double centre, double sigma, double tau) {
    const double d = x - centre;
    if (tau <= 1e-3 * sigma) {
        return std::exp(-0.5 * d * d / (sigma * sigma)) /
               (sigma * std::sqrt(2.0 * std::numbers::pi));
    }
    const double z = (sigma / tau + d / sigma) / std::numbers::sqrt2;
    if (z < 25.0) {
        // exp(sigma^2 / 2 tau^2 + d / tau) = exp(z^2 - d^2 / 2 sigma^2): no overflow for z < 25.
        return 0.5 / tau * std::exp(z * z - 0.5 * d * d / (sigma * sigma)) * std::erfc(z);
    }
    // exp(z^2) erfc(z) by its asymptotic series, where erfc underflows.
    const double z2 = z * z;
    const double scaled = (1.0 - 0.5 / z2 + 0.75 / (z2 * z2)) * std::numbers::inv_sqrtpi / z;
    return 0.5 / tau * std::exp(-0.5 * d * d / (sigma * sigma)) * scaled;
}

std::vector<DoubletSplit> splitDoublets(std::span<const DoubletProfile> lanes,
                                        const DoubletFitOptions& options) {
    std::vector<DoubletSplit> splits(lanes.size());
    std::vector<DoubletProfile> usable;
    std::vector<DoubletSplit*> usableSplits;
    for (std::size_t l = 0; l < lanes.size(); ++l) {
        const DoubletProfile& lane = lanes[l];
        splits[l].upperShare = valleyCut(lane);
        const int n = static_cast<int>(lane.values.size());
        const bool hasNoise = lane.noise.size() == lane.values.size() &&
                              std::all_of(lane.noise.begin(), lane.noise.end(), [](double sigma) {
                                  return std::isfinite(sigma) && sigma > 0;
                              });
        const bool hasValues = std::all_of(lane.values.begin(), lane.values.end(),
                                           [](double v) { return std::isfinite(v); });
        if (n >= 6 && lane.lowerFirst > 0 && lane.lowerFirst < n && hasNoise && hasValues) {
            usable.push_back(lane);
            usableSplits.push_back(&splits[l]);
        }
    }
    if (usable.empty()) {
        return splits;
    }

    // One shape for both bands first: it places every lane's bands.
    const DoubletModel shared(usable, true, false);
    double bestCost = std::numeric_limits<double>::infinity();
    std::vector<double> best;
    for (std::vector<double> p : sharedStartingPoints(shared)) {
        const double cost = levenbergMarquardt(shared, p);
        if (cost < bestCost) {
            bestCost = cost;
            best = std::move(p);
        }
    }
    if (usable.size() < 2) {
        judgeFit(shared, best, bestCost, options, usableSplits);
        return splits;
    }

    // Then each band's own shape, and from three lanes on its width in each lane, from there.
    const DoubletModel full(usable, false, usable.size() >= 3);
    std::vector<double> p(static_cast<std::size_t>(full.parameterCount()), 0.0);
    p[0] = p[2] = best[0];
    p[1] = p[3] = best[1];
    p[static_cast<std::size_t>(full.separationIndex())] =
        best[static_cast<std::size_t>(shared.separationIndex())];
    for (std::size_t l = 0; l < usable.size(); ++l) {
        p[static_cast<std::size_t>(full.shiftIndex(l))] =
            best[static_cast<std::size_t>(shared.shiftIndex(l))];
    }
    bestCost = levenbergMarquardt(full, p);
    judgeFit(full, p, bestCost, options, usableSplits);
    return splits;
}

std::array<double, 2> doubletVolumes(const DoubletProfile& profile, const DoubletSplit& split) {
    std::array<double, 2> volume = {0.0, 0.0};
    for (std::size_t i = 0; i < profile.values.size(); ++i) {
        const double background = split.background.empty() ? 0.0 : split.background[i];
        const double cut = static_cast<int>(i) < profile.lowerFirst ? 1.0 : 0.0;
        const double upper =
            split.upperShare[i] * (profile.values[i] - background) + cut * background;
        volume[0] += upper;
        volume[1] += profile.values[i] - upper;
    }
    return volume;
}

} // namespace densito
