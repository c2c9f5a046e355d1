# Checks that every C++ file under SOURCE_DIR's src, tests and bench folders is formatted as
# .clang-format says (clang-format --dry-run --Werror). Run with
#   cmake -DSOURCE_DIR=<dir> -DCLANG_FORMAT=<clang-format> -P CheckFormat.cmake
# Fails naming the first lines clang-format would change.
if(NOT SOURCE_DIR OR NOT CLANG_FORMAT)
    message(FATAL_ERROR "CheckFormat.cmake needs SOURCE_DIR and CLANG_FORMAT")
endif()
file(GLOB_RECURSE files
    "${SOURCE_DIR}/src/*.cpp" "${SOURCE_DIR}/src/*.h"
    "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.h"
    "${SOURCE_DIR}/bench/*.cpp" "${SOURCE_DIR}/bench/*.h")
# The fixture that proves this check fails is badly formatted on purpose (compared as text:
# the folder's path may hold regular-expression characters).
set(checked "")
foreach(file IN LISTS files)
    string(FIND "${file}" "${SOURCE_DIR}/tests/data/" at)
    if(NOT at EQUAL 0)
        list(APPEND checked "${file}")
    endif()
endforeach()
set(files ${checked})
if(NOT files)
    message(FATAL_ERROR "no C++ files under ${SOURCE_DIR}")
endif()
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${files}
    RESULT_VARIABLE result ERROR_VARIABLE problems)
if(NOT result EQUAL 0)
    string(SUBSTRING "${problems}" 0 3000 shown)
    message(FATAL_ERROR "not formatted as .clang-format says (run clang-format -i):\n${shown}")
endif()
