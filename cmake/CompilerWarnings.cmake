# Warnings as an interface target, linked by every Densito target; never global flags.
add_library(densito_warnings INTERFACE)
target_compile_options(densito_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation
    -Wduplicated-cond -Wduplicated-branches -Wlogical-op)
if(DENSITO_WARNINGS_AS_ERRORS)
    target_compile_options(densito_warnings INTERFACE -Werror)
endif()
