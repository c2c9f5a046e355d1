# Generates core/version.h with the project version, for --version, run.json and the About box.
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
    ${CMAKE_BINARY_DIR}/generated/core/version.h @ONLY)
