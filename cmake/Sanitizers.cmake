# AddressSanitizer + UndefinedBehaviorSanitizer as an interface target (preset "asan").
add_library(densito_sanitizers INTERFACE)
if(DENSITO_SANITIZERS)
    set(_densito_san_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_compile_options(densito_sanitizers INTERFACE ${_densito_san_flags})
    target_link_options(densito_sanitizers INTERFACE ${_densito_san_flags})
endif()
