import { useEffect, useRef } from 'react';

/** One uint8 image (HWC, 1 or 3 channels) drawn pixel for pixel, scaled up by CSS. */
export function PixelCanvas({
  pixels,
  shape,
  label,
  className,
}: {
  pixels: Uint8Array;
  shape: [number, number, number];
  label: string;
  className: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      for (let k = 0; k < 3; k++) img.data[4 * i + k] = pixels[i * c + (c === 3 ? k : 0)]!;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [pixels, h, w, c]);
  return <canvas ref={ref} width={w} height={h} className={className} role="img" aria-label={label} title={label} />;
}
