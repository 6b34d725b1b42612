# Turns a text file into a C++ translation unit holding it as a string_view, returned by
# NAMESPACE::FUNCTION() (defaults: the rule pack's asyncsweep::rules::default_pack_text).
if(NOT NAMESPACE)
  set(NAMESPACE asyncsweep::rules)
endif()
if(NOT FUNCTION)
  set(FUNCTION default_pack_text)
endif()
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hexlen)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace ${NAMESPACE} {\nstatic const char kText[] = {${bytes} '\\0'};\nstd::string_view ${FUNCTION}() { return {kText, sizeof(kText) - 1}; }\n}  // namespace ${NAMESPACE}\n")
