// Tiefsee's Vulkan compute runtime — include this one header.
//
//   #include "vulkan/runtime.h"
//   using namespace tiefsee;
//
//   // 1. Device. Default: discrete > integrated > CPU (lavapipe). Or pick by
//   //    DeviceChoice::index / ::nameContains; DeviceChoice::require lists needed features.
//   auto ctx = vk::Context::create();            // Result<std::unique_ptr<vk::Context>>
//   if (!ctx) { show(ctx.error().message); return; }
//   vk::Context& c = **ctx;                      // c.info(): name, limits, subgroupSize, ...
//
//   // 2. Memory. Tensors are move-only owners; TensorView = (VkBuffer, offset, size) is
//   //    what gets bound. Weights larger than maxStorageBufferRange: allocateRows()
//   //    gives a SplitTensor; dispatch once per chunk (bind chunks[c], pass its first row).
//   auto x = c.allocate(n * sizeof(float));      // device-local, Result<vk::Tensor>
//   auto y = c.allocate(n * sizeof(float));
//   c.upload(*x, hostData, n * sizeof(float));   // staging ring / memcpy
//
//   // 3. Pipelines from shaders/<name>.comp; spec constants are constant_id 0, 1, ...
//   //    Bindings, readonly-ness, push-constant size and local size are read from SPIR-V.
//   auto pipe = vk::createPipeline(c, "copy", {64});   // local_size_x_id = 0 -> 64
//
//   // 4. Record once, submit many times. Barriers are inserted automatically where an op
//   //    reads/writes what an earlier op wrote (or writes what it read).
//   auto rec = vk::Recorder::create(c, {.profile = false});
//   rec->begin();
//   struct { uint32_t count; } push{n / 4};      // must match the shader's push block size
//   rec->dispatch(*pipe, {*x, *y}, vk::groupsFor(*pipe, n / 4), push, "copy x->y");
//   rec->end();
//   rec->run();                                   // submit() + wait(); submit() again any time
//   c.download(*y, hostOut, n * sizeof(float));
//   // profile mode: rec->timings() -> [{name, ms}] after wait().
//
// Threads: a Context and everything made from it belong to one thread (the engine thread).
#pragma once

#include "vulkan/context.h"
#include "vulkan/device_info.h"
#include "vulkan/memory.h"
#include "vulkan/pipeline.h"
#include "vulkan/recorder.h"
