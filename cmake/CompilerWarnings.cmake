# Warnings as an interface target, linked by every Densito target; never global flags.
add_library(densito_warnings INTERFACE)
target_compile_options(densito_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation)
# GCC-only checks; clang (the fuzzing build) does not know them.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(densito_warnings INTERFACE
        -Wduplicated-cond -Wduplicated-branches -Wlogical-op)
endif()
if(DENSITO_WARNINGS_AS_ERRORS)
    target_compile_options(densito_warnings INTERFACE -Werror)
endif()
