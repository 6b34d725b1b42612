# Turns a text file into a C++ translation unit holding it as a string_view.
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hexlen)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace asyncsweep::rules {\nstatic const char kPack[] = {${bytes} '\\0'};\nstd::string_view default_pack_text() { return {kPack, sizeof(kPack) - 1}; }\n}  // namespace asyncsweep::rules\n")
