/** Types of build-simd.mjs, for the test that checks the committed binaries. */
export function assemble(source: string, name: string): Promise<string>;
export function moduleText(name: string, base64: string): string;
