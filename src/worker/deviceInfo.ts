/**
 * What the browser says about its graphics: the WebGPU adapter and the WebGL renderer, and
 * whether either is a software emulation (SwiftShader, llvmpipe…) that runs on the CPU. The
 * learner sees "software" in the backend report; the description also keys the speed cache.
 */

export interface GpuFacts {
  /** e.g. "Google SwiftShader (fallback adapter)", or null without WebGPU. */
  webgpu: string | null;
  webgpuSoftware: boolean;
  /** The unmasked WebGL renderer string, or null without WebGL2 in a worker. */
  webgl: string | null;
  webglSoftware: boolean;
}

type AdapterInfo = { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
type Adapter = { info?: AdapterInfo; isFallbackAdapter?: boolean; requestAdapterInfo?: () => Promise<AdapterInfo> };

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

async function webgpuFacts(): Promise<{ text: string | null; software: boolean }> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
  if (!gpu) return { text: null, software: false };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return { text: null, software: false };
  const info: AdapterInfo = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => ({}))) ?? {};
  const fallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  const software = fallback || SOFTWARE_RENDERER.test(name);
  return { text: `${name}${fallback ? ' (fallback adapter)' : ''}`, software };
}

function webglFacts(): { text: string | null; software: boolean } {
  try {
    if (typeof OffscreenCanvas === 'undefined') return { text: null, software: false };
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return { text: null, software: false };
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const text = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { text, software: SOFTWARE_RENDERER.test(text) };
  } catch {
    return { text: null, software: false };
  }
}

let facts: Promise<GpuFacts> | null = null;

/** The GPU facts, looked up once per worker. */
export function gpuFacts(): Promise<GpuFacts> {
  facts ??= (async () => {
    const gpu = await webgpuFacts();
    const gl = webglFacts();
    return { webgpu: gpu.text, webgpuSoftware: gpu.software, webgl: gl.text, webglSoftware: gl.software };
  })();
  return facts;
}

/**
 * The logical cores the browser reports. Read through the prototype: to make tfjs use more
 * threads, ./wasmThreads shadows `navigator.hardwareConcurrency` with a larger number.
 */
export function logicalCores(): number {
  const nav = globalThis.navigator;
  if (!nav) return 1;
  const value: unknown = Reflect.get(Object.getPrototypeOf(nav) as object, 'hardwareConcurrency', nav);
  return typeof value === 'number' && value >= 1 ? value : 1;
}

/** One line describing this device's CPU and browser, for the wasm thread choice cache. */
export function cpuDescription(): string {
  return [globalThis.navigator?.userAgent ?? 'unknown browser', `cores ${logicalCores()}`].join(' | ');
}

/** One line describing this device for the speed cache. */
export function deviceDescription(f: GpuFacts, wasmThreads: number): string {
  return [cpuDescription(), `webgpu ${f.webgpu ?? 'none'}`, `webgl ${f.webgl ?? 'none'}`, `wasm threads ${wasmThreads}`].join(' | ');
}

/** "webgl (software: Google SwiftShader)": how the report names a backend. */
export function backendLabel(name: string, f: GpuFacts): string {
  if (name === 'webgpu' && f.webgpuSoftware) return `webgpu (software: ${shortName(f.webgpu)})`;
  if (name === 'webgl' && f.webglSoftware) return `webgl (software: ${shortName(f.webgl)})`;
  return name;
}

function shortName(text: string | null): string {
  if (text && /swiftshader/i.test(text)) return 'SwiftShader';
  if (text && /llvmpipe/i.test(text)) return 'llvmpipe';
  return text ? text.replace(/ \(fallback adapter\)$/, '') : 'CPU emulation';
}
