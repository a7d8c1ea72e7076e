// The SPIR-V of every shaders/*.comp, compiled at build time and embedded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tiefsee::shaders {

struct ShaderBinary {
    const char* name;      // file stem: "matvec" for shaders/matvec.comp
    const uint32_t* code;  // SPIR-V words
    size_t words;          // number of uint32_t words
};

// Every embedded shader.
std::span<const ShaderBinary> all();
// The shader compiled from shaders/<name>.comp, or nullptr.
const ShaderBinary* find(std::string_view name);

}  // namespace tiefsee::shaders
