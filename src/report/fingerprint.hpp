// Text helpers shared by the SARIF, GitHub and Markdown printers and the baseline:
// UTF-8 decoding as web tooling does it, and GitHub's primaryLocationLineHash.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "result/finding.hpp"

namespace asyncsweep::report {

// Invalid UTF-8 replaced by U+FFFD, one per maximal invalid subpart (the WHATWG decoder, which
// is what Node, browsers and Python do), so that JSON and Markdown output is always valid and
// column counts agree with what GitHub computes from the same bytes.
std::string sanitize_utf8(std::string_view bytes);

// UTF-16 code units in `bytes` decoded as above: SARIF's default columnKind counts these.
std::size_t utf16_length(std::string_view bytes);

// Called once per line, in line order, with the 1-based line number and "<hex>:<n>".
using LineHashCallback = std::function<void(std::uint32_t line, std::string_view hash)>;

// primaryLocationLineHash for every line of `bytes`, computed exactly as github/codeql-action
// src/fingerprints.ts (`hash`) does, so that alerts we upload match the ones upload-sarif would
// fingerprint itself: the text is decoded as UTF-8 into UTF-16 code units; CR, LF and CRLF
// each end a line; spaces and tabs are skipped; each line's value is a base-37 rolling hash
// (wrapping 64-bit) of the 100 characters from its first non-blank character on, running past
// the line end, with a 65535 end-of-file marker and zero padding; n counts equal hashes so far
// (1 for the first). Line numbers follow that CR-aware count, as GitHub's do. A text that ends
// with a line terminator gets one more (empty) line, as in fingerprints.ts.
void hash_lines(std::string_view bytes, const LineHashCallback& callback);

// Fills in each finding's Fingerprint: line_hash, the hash_lines() value of its first line in
// `bytes`, the whole file the findings are in as it is on disk (a BOM included, as GitHub reads
// it). `more`: more findings of the same file. A line the hash never reaches gets none.
void add_line_hashes(std::string_view bytes, std::span<Finding> findings,
                     std::span<Finding> more = {});

// add_line_hashes() for findings whose files are not in memory any more (`asyncsweep merge`,
// the transitive join's findings): each file is read once, by the finding's path; an unreadable
// one gets no line hashes. Findings that have a line hash already keep it.
void add_line_hashes_from_files(std::span<Finding> findings, std::span<Finding> more = {});

}  // namespace asyncsweep::report
