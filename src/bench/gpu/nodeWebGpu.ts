/**
 * WebGPU for tfjs under Node: the `webgpu` npm package (Dawn, the WebGPU implementation of
 * Chrome) installed as `navigator.gpu` with its globals (GPUBufferUsage…), then tfjs' webgpu
 * backend. On a machine with a GPU, Dawn uses its Vulkan driver. Without one, it falls back
 * to SwiftShader's Vulkan, the software GPU Debian's chromium ships (the same one headless
 * Chromium uses here). Mesa's lavapipe, which issue 15 named, does not work: Debian 12's Mesa
 * 22.3 lacks a feature this Dawn requires ("Vulkan shaderUniform*ArrayDynamicIndexing
 * required"), so Dawn offers no adapter on it.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Chromium's SwiftShader Vulkan driver (Debian's chromium package); overridable. */
export const SWIFTSHADER_ICD = process.env.SWIFTSHADER_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Where Debian and Ubuntu put the Vulkan loader Dawn opens. */
const VULKAN_LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1', '/usr/lib/libvulkan.so.1', '/usr/lib64/libvulkan.so.1'];

export interface NodeGpu {
  /** "SwiftShader (software)" or the adapter's vendor and device. */
  adapter: string;
  software: boolean;
}

async function adapterOf(flags: string[]) {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create(flags);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  return { gpu, adapter };
}

/**
 * Makes `navigator.gpu` and tfjs' webgpu backend available, preferring a real GPU; throws a
 * sentence saying what is missing when neither a GPU nor SwiftShader gives an adapter.
 */
export async function installNodeWebGpu(options: { software?: boolean } = {}): Promise<NodeGpu> {
  // Dawn's Vulkan loader complains without it (harmless, but it fills the log).
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  let software = options.software ?? false;
  if (software) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  let { gpu, adapter } = await adapterOf([]);
  if (!adapter && !software && existsSync(SWIFTSHADER_ICD)) {
    software = true;
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    ({ gpu, adapter } = await adapterOf([]));
  }
  if (!adapter) {
    const loader = VULKAN_LOADERS.some((p) => existsSync(p));
    throw new Error(
      !loader
        ? 'No WebGPU adapter: the Vulkan loader (libvulkan.so.1) is not installed, so Dawn cannot reach any GPU, not even a software one. Install it: apt-get install libvulkan1'
        : `No WebGPU adapter: Dawn found no usable Vulkan GPU${existsSync(SWIFTSHADER_ICD) ? ' and SwiftShader gave none' : `, and SwiftShader (${SWIFTSHADER_ICD}) is not installed: apt-get install chromium`}.`,
    );
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `Node.js ${process.version}` }, configurable: true, writable: true });
  const info = (adapter as unknown as { info?: { vendor?: string; device?: string; description?: string } }).info ?? {};
  const name = [info.vendor, info.device || info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  await import('@tensorflow/tfjs-backend-webgpu');
  return { adapter: software ? `SwiftShader (software): ${name}` : name, software };
}
