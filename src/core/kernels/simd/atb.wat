;; dW = P^T·dy for convolution weight gradients: P [n, rows] (im2col patches) and dy [n, cols]
;; row-major, n large (batch × output positions), rows and cols small (filter cells × input
;; channels, output channels). XNNPACK packs one whole operand for such a product at every
;; call; this runs it directly as outer products, four output columns and eight rows of the
;; result per pass (eight accumulators in registers), over chunks of 128 rows of P and dy that
;; stay in cache. cols must be a multiple of 4. Accumulates in float32, in order of n.
;; Generated once from a template, then edited by hand; assembled by `npm run build:simd` into
;; atb.binary.ts; see ../wasmSimd.ts. All pointers are byte offsets into tfjs' wasm memory.
;;
;; colSum: out[c] = Σ_i x[i, c] for x [n, cols] (a bias gradient), cols a multiple of 4.
(module
  (import "env" "memory" (memory 1))
  (func (export "atb")
    (param $p i32) (param $d i32) (param $out i32) (param $n i32) (param $rows i32) (param $cols i32)
    (local $i0 i32) (local $i1 i32) (local $i i32) (local $rb i32) (local $cb i32)
    (local $pRow i32) (local $dRow i32) (local $pa i32) (local $da i32) (local $o i32) (local $z i32)
    (local $dv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $pRow (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $dRow (i32.shl (local.get $cols) (i32.const 2)))
    ;; out = 0
    (local.set $z (i32.const 0))
    (block $zDone (loop $zNext
      (br_if $zDone (i32.ge_u (local.get $z) (i32.mul (local.get $rows) (local.get $dRow))))
      (v128.store align=4 (i32.add (local.get $out) (local.get $z)) (v128.const i32x4 0 0 0 0))
      (local.set $z (i32.add (local.get $z) (i32.const 16)))
      (br $zNext)))
    (local.set $i0 (i32.const 0))
    (block $chunksDone (loop $chunkNext
      (br_if $chunksDone (i32.ge_u (local.get $i0) (local.get $n)))
      (local.set $i1 (select (i32.add (local.get $i0) (i32.const 128)) (local.get $n)
        (i32.lt_u (i32.add (local.get $i0) (i32.const 128)) (local.get $n))))
      (local.set $rb (i32.const 0))
      ;; blocks of eight rows of the result
      (block $r8Done (loop $r8Next
        (br_if $r8Done (i32.gt_u (i32.add (local.get $rb) (i32.const 8)) (local.get $rows)))
        (local.set $cb (i32.const 0))
        (block $cbDone8 (loop $cbNext8
          (br_if $cbDone8 (i32.ge_u (local.get $cb) (local.get $cols)))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $rb) (local.get $cols)) (local.get $cb)) (i32.const 2))))
          (local.set $a0 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 0) (local.get $dRow)))))
          (local.set $a1 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 1) (local.get $dRow)))))
          (local.set $a2 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 2) (local.get $dRow)))))
          (local.set $a3 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 3) (local.get $dRow)))))
          (local.set $a4 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 4) (local.get $dRow)))))
          (local.set $a5 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 5) (local.get $dRow)))))
          (local.set $a6 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 6) (local.get $dRow)))))
          (local.set $a7 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 7) (local.get $dRow)))))
          (local.set $i (local.get $i0))
          (local.set $pa (i32.add (local.get $p) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $rows)) (local.get $rb)) (i32.const 2))))
          (local.set $da (i32.add (local.get $d) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $cols)) (local.get $cb)) (i32.const 2))))
          (block $iDone8 (loop $iNext8
            (br_if $iDone8 (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $dv (v128.load align=4 (local.get $da)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (f32x4.splat (f32.load offset=0 (local.get $pa))) (local.get $dv))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (f32x4.splat (f32.load offset=4 (local.get $pa))) (local.get $dv))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (f32x4.splat (f32.load offset=8 (local.get $pa))) (local.get $dv))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (f32x4.splat (f32.load offset=12 (local.get $pa))) (local.get $dv))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (f32x4.splat (f32.load offset=16 (local.get $pa))) (local.get $dv))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (f32x4.splat (f32.load offset=20 (local.get $pa))) (local.get $dv))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (f32x4.splat (f32.load offset=24 (local.get $pa))) (local.get $dv))))
            (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (f32x4.splat (f32.load offset=28 (local.get $pa))) (local.get $dv))))
            (local.set $pa (i32.add (local.get $pa) (local.get $pRow)))
            (local.set $da (i32.add (local.get $da) (local.get $dRow)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $iNext8)))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 0) (local.get $dRow))) (local.get $a0))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 1) (local.get $dRow))) (local.get $a1))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 2) (local.get $dRow))) (local.get $a2))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 3) (local.get $dRow))) (local.get $a3))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 4) (local.get $dRow))) (local.get $a4))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 5) (local.get $dRow))) (local.get $a5))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 6) (local.get $dRow))) (local.get $a6))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 7) (local.get $dRow))) (local.get $a7))
          (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
          (br $cbNext8)))
        (local.set $rb (i32.add (local.get $rb) (i32.const 8)))
        (br $r8Next)))
      ;; the remaining rows one by one
      (block $r1Done (loop $r1Next
        (br_if $r1Done (i32.ge_u (local.get $rb) (local.get $rows)))
        (local.set $cb (i32.const 0))
        (block $cbDone1 (loop $cbNext1
          (br_if $cbDone1 (i32.ge_u (local.get $cb) (local.get $cols)))
          (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $rb) (local.get $cols)) (local.get $cb)) (i32.const 2))))
          (local.set $a0 (v128.load align=4 (i32.add (local.get $o) (i32.mul (i32.const 0) (local.get $dRow)))))
          (local.set $i (local.get $i0))
          (local.set $pa (i32.add (local.get $p) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $rows)) (local.get $rb)) (i32.const 2))))
          (local.set $da (i32.add (local.get $d) (i32.shl (i32.add (i32.mul (local.get $i0) (local.get $cols)) (local.get $cb)) (i32.const 2))))
          (block $iDone1 (loop $iNext1
            (br_if $iDone1 (i32.ge_u (local.get $i) (local.get $i1)))
            (local.set $dv (v128.load align=4 (local.get $da)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (f32x4.splat (f32.load offset=0 (local.get $pa))) (local.get $dv))))
            (local.set $pa (i32.add (local.get $pa) (local.get $pRow)))
            (local.set $da (i32.add (local.get $da) (local.get $dRow)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $iNext1)))
          (v128.store align=4 (i32.add (local.get $o) (i32.mul (i32.const 0) (local.get $dRow))) (local.get $a0))
          (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
          (br $cbNext1)))
        (local.set $rb (i32.add (local.get $rb) (i32.const 1)))
        (br $r1Next)))
      (local.set $i0 (local.get $i1))
      (br $chunkNext))))
  (func (export "colSum")
    (param $x i32) (param $out i32) (param $n i32) (param $cols i32)
    (local $i i32) (local $c i32) (local $row i32) (local $xa i32)
    (local.set $row (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $c (i32.const 0))
    (block $zDone (loop $zNext
      (br_if $zDone (i32.ge_u (local.get $c) (local.get $row)))
      (v128.store align=4 (i32.add (local.get $out) (local.get $c)) (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $zNext)))
    (local.set $xa (local.get $x))
    (block $iDone (loop $iNext
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $c (i32.const 0))
      (block $cDone (loop $cNext
        (br_if $cDone (i32.ge_u (local.get $c) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $out) (local.get $c))
          (f32x4.add
            (v128.load align=4 (i32.add (local.get $out) (local.get $c)))
            (v128.load align=4 (i32.add (local.get $xa) (local.get $c)))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $cNext)))
      (local.set $xa (i32.add (local.get $xa) (local.get $row)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iNext))))
)
