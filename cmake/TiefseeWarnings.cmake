# Compiler warnings shared by every Tiefsee target: tiefsee_warnings(<target>).
function(tiefsee_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  endif()
endfunction()

# Sanitizer flags for the ASan/UBSan test configuration: tiefsee_sanitize(<target>).
function(tiefsee_sanitize target)
  target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(${target} PRIVATE -fsanitize=address,undefined)
endfunction()
