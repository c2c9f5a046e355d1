# AddressSanitizer + UndefinedBehaviorSanitizer as an interface target (preset "asan").
add_library(densito_sanitizers INTERFACE)
if(DENSITO_SANITIZERS)
    set(_densito_san_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_compile_options(densito_sanitizers INTERFACE ${_densito_san_flags})
    target_link_options(densito_sanitizers INTERFACE ${_densito_san_flags})
endif()

# The fuzzing build (preset "fuzz"): clang's libFuzzer coverage instrumentation on every
# Densito target, with ASan + UBSan; only the fuzz targets link the libFuzzer driver.
if(DENSITO_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "DENSITO_FUZZ needs clang (libFuzzer); configure with the preset "
                            "\"fuzz\" (clang++-16)")
    endif()
    set(_densito_fuzz_flags -fsanitize=fuzzer-no-link,address,undefined
        -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_compile_options(densito_sanitizers INTERFACE ${_densito_fuzz_flags})
    target_link_options(densito_sanitizers INTERFACE ${_densito_fuzz_flags})
    # libstdc++ 12 offers std::expected only when __cpp_concepts >= 202002L; clang 16 still
    # says 201907L although it implements what <expected> needs (P0848, conditionally
    # trivial special members), so the fuzzing build states the newer value.
    target_compile_options(densito_sanitizers INTERFACE
        -U__cpp_concepts -D__cpp_concepts=202002L)
endif()
