;; MaxPoolGrad for 2x2 windows with stride 2 and no padding (MaxPooling2D's usual setting),
;; four channels at a time (WebAssembly SIMD), over the memory of tfjs' wasm backend.
;; Assembled by `npm run build:simd` into maxPoolGrad.binary.ts; see ../wasmMaxPoolGrad.ts.
;; x and dx are [batch, h, w, c], dy is [batch, h/2, w/2, c] (byte offsets); c is a multiple
;; of 4. Each window's gradient goes to its first largest cell (strictly greater wins, as on
;; the cpu backend); every other cell of a window gets 0. Rows and columns outside every
;; window (odd h or w) are not written: the caller clears them.
(module
  (import "env" "memory" (memory 1))
  (func (export "maxPoolGrad2x2")
    (param $x i32) (param $g i32) (param $dx i32)
    (param $batch i32) (param $h i32) (param $w i32) (param $c i32)
    (local $pix i32) (local $row i32) (local $outH i32) (local $outW i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $k i32)
    (local $base i32) (local $at i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $m v128)
    (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $gv v128)
    (local.set $pix (i32.shl (local.get $c) (i32.const 2)))
    (local.set $row (i32.mul (local.get $w) (local.get $pix)))
    (local.set $outH (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $outW (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $b (i32.const 0))
    (block $bDone (loop $bNext
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohNext
        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $outH)))
        ;; byte offset of row 2·oh of image b
        (local.set $base
          (i32.mul
            (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.shl (local.get $oh) (i32.const 1)))
            (local.get $row)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owNext
          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $outW)))
          (local.set $k (i32.const 0))
          (block $kDone (loop $kNext
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $pix)))
            (local.set $at
              (i32.add (i32.add (local.get $base) (i32.mul (i32.shl (local.get $ow) (i32.const 1)) (local.get $pix))) (local.get $k)))
            (local.set $v0 (v128.load align=4 (i32.add (local.get $x) (local.get $at))))
            (local.set $v1 (v128.load align=4 (i32.add (i32.add (local.get $x) (local.get $at)) (local.get $pix))))
            (local.set $v2 (v128.load align=4 (i32.add (i32.add (local.get $x) (local.get $at)) (local.get $row))))
            (local.set $v3 (v128.load align=4
              (i32.add (i32.add (i32.add (local.get $x) (local.get $at)) (local.get $row)) (local.get $pix))))
            (local.set $gv (v128.load align=4 (local.get $g)))
            (local.set $s1 (f32x4.gt (local.get $v1) (local.get $v0)))
            (local.set $m (v128.bitselect (local.get $v1) (local.get $v0) (local.get $s1)))
            (local.set $s2 (f32x4.gt (local.get $v2) (local.get $m)))
            (local.set $m (v128.bitselect (local.get $v2) (local.get $m) (local.get $s2)))
            (local.set $s3 (f32x4.gt (local.get $v3) (local.get $m)))
            ;; cell 3 wins where s3; cell 2 where s2 and not s3; cell 1 where s1 and neither
            ;; later one; cell 0 where none of them
            (v128.store align=4
              (i32.add (i32.add (i32.add (local.get $dx) (local.get $at)) (local.get $row)) (local.get $pix))
              (v128.and (local.get $gv) (local.get $s3)))
            (v128.store align=4
              (i32.add (i32.add (local.get $dx) (local.get $at)) (local.get $row))
              (v128.and (local.get $gv) (v128.andnot (local.get $s2) (local.get $s3))))
            (v128.store align=4
              (i32.add (i32.add (local.get $dx) (local.get $at)) (local.get $pix))
              (v128.and (local.get $gv) (v128.andnot (v128.andnot (local.get $s1) (local.get $s2)) (local.get $s3))))
            (v128.store align=4
              (i32.add (local.get $dx) (local.get $at))
              (v128.andnot (local.get $gv) (v128.or (v128.or (local.get $s1) (local.get $s2)) (local.get $s3))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $kNext)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owNext)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohNext)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bNext)))))
