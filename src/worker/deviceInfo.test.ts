import { afterEach, describe, expect, it, vi } from 'vitest';
import { backendLabel, cpuDescription, deviceDescription, logicalCores, type GpuFacts } from './deviceInfo';

const swiftShader: GpuFacts = {
  webgpu: 'google swiftshader (fallback adapter)',
  webgpuSoftware: true,
  webgl: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  webglSoftware: true,
};
const realGpu: GpuFacts = { webgpu: 'nvidia ampere', webgpuSoftware: false, webgl: 'ANGLE (NVIDIA GeForce RTX 3060)', webglSoftware: false };

describe('backendLabel', () => {
  it.each([
    ['webgpu', swiftShader, 'webgpu (software: SwiftShader)'],
    ['webgl', swiftShader, 'webgl (software: SwiftShader)'],
    ['wasm', swiftShader, 'wasm'],
    ['webgpu', realGpu, 'webgpu'],
    ['webgl', realGpu, 'webgl'],
  ] as const)('%s on %j is named %s', (name, facts, label) => {
    expect(backendLabel(name, facts)).toBe(label);
  });
});

describe('deviceDescription', () => {
  it('changes with the GPU and the wasm thread count, so cached speeds never cross devices', () => {
    const a = deviceDescription(swiftShader, 1);
    expect(a).not.toBe(deviceDescription(realGpu, 1));
    expect(a).not.toBe(deviceDescription(swiftShader, 2));
    expect(a).toContain('webgl ANGLE (Google');
  });
});

describe('logicalCores', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** A navigator like the browser's: the count is a getter on the prototype. */
  class FakeNavigator {
    userAgent = 'FakeBrowser/1';
    get hardwareConcurrency() {
      return 2;
    }
  }

  it("reads the browser's count even where wasmThreads reports more cores to tfjs", () => {
    const nav = new FakeNavigator();
    vi.stubGlobal('navigator', nav);
    Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 4 });
    expect(navigator.hardwareConcurrency).toBe(4);
    expect(logicalCores()).toBe(2);
    expect(cpuDescription()).toBe('FakeBrowser/1 | cores 2');
  });
});
