#pragma once

#include "core/synth/synthetic_blot.h"

namespace densito::bench {

/// The image both editing benchmarks measure (remeasure_bench, document_edit_bench): a
/// 4000x3000 synthetic blot with 16 lanes and 6 band rows, seed 3.
inline SynthParams editScene() {
    SynthParams params;
    params.seed = 3;
    params.widthPx = 4000;
    params.heightPx = 3000;
    params.lanes = 16;
    params.bandRows = 6;
    return params;
}

} // namespace densito::bench
