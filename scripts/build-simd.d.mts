/** Types of build-simd.mjs, for the test that checks the committed binaries. */
export interface Binaries {
  plain: string;
  shared: string;
}
export function assemble(source: string, name: string): Promise<Binaries>;
export function moduleText(name: string, binaries: Binaries): string;
