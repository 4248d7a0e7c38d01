;; Products with the batch on one side: a Dense layer's forward pass x·W and its input
;; gradient dy·W^T at batch sizes up to a hundred or so. XNNPACK's matmul must first transpose
;; or pack the whole weight matrix at every call (the weights change at every step), and at
;; batch 1 runs its 4×8 tiles on a product with one column; these read W in its own row-major
;; layout, one row at a time, with the batch side's rows kept in cache. Accumulates in float32.
;; Assembled by `npm run build:simd` into rows.binary.ts; see ../wasmSimd.ts. All pointers are
;; byte offsets into tfjs' wasm memory.
;;
;; ab:  out [rows, cols] = a [rows, inner] · b [inner, cols]; cols a multiple of 4. For each
;;      row k of b, every row r of out gets a[r, k] × b[k, :] added (skipped where a[r, k] is 0:
;;      inputs after ReLU and MNIST's background pixels are mostly zeros).
;; abt: out [rows, cols] = a [rows, inner] · b^T for b [cols, inner]; inner a multiple of 4.
;;      Each out[r, c] is the dot product of two contiguous rows, four partial sums at a time.
(module
  (import "env" "memory" (memory 1))
  (func (export "ab")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $inner i32) (param $cols i32)
    (local $rowBytes i32) (local $z i32) (local $k i32) (local $r i32) (local $c i32)
    (local $bRow i32) (local $oRow i32) (local $s f32) (local $sv v128) (local $p i32) (local $end i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    ;; out = 0
    (local.set $end (i32.mul (local.get $rows) (local.get $rowBytes)))
    (local.set $z (i32.const 0))
    (block $zDone (loop $zNext
      (br_if $zDone (i32.ge_u (local.get $z) (local.get $end)))
      (v128.store align=4 (i32.add (local.get $out) (local.get $z)) (v128.const i32x4 0 0 0 0))
      (local.set $z (i32.add (local.get $z) (i32.const 16)))
      (br $zNext)))
    (local.set $k (i32.const 0))
    (local.set $bRow (local.get $b))
    (block $kDone (loop $kNext
      (br_if $kDone (i32.ge_u (local.get $k) (local.get $inner)))
      (local.set $r (i32.const 0))
      (block $rDone (loop $rNext
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (f32.load align=4 (i32.add (local.get $a)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $inner)) (local.get $k)) (i32.const 2)))))
        (if (f32.ne (local.get $s) (f32.const 0))
          (then
            (local.set $sv (f32x4.splat (local.get $s)))
            (local.set $oRow (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowBytes))))
            (local.set $c (i32.const 0))
            ;; 16 floats per pass while they last, then 4 at a time
            (block $c16Done (loop $c16Next
              (br_if $c16Done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
              (local.set $p (i32.add (local.get $oRow) (local.get $c)))
              (local.set $z (i32.add (local.get $bRow) (local.get $c)))
              (v128.store offset=0 align=4 (local.get $p)
                (f32x4.add (v128.load offset=0 align=4 (local.get $p)) (f32x4.mul (local.get $sv) (v128.load offset=0 align=4 (local.get $z)))))
              (v128.store offset=16 align=4 (local.get $p)
                (f32x4.add (v128.load offset=16 align=4 (local.get $p)) (f32x4.mul (local.get $sv) (v128.load offset=16 align=4 (local.get $z)))))
              (v128.store offset=32 align=4 (local.get $p)
                (f32x4.add (v128.load offset=32 align=4 (local.get $p)) (f32x4.mul (local.get $sv) (v128.load offset=32 align=4 (local.get $z)))))
              (v128.store offset=48 align=4 (local.get $p)
                (f32x4.add (v128.load offset=48 align=4 (local.get $p)) (f32x4.mul (local.get $sv) (v128.load offset=48 align=4 (local.get $z)))))
              (local.set $c (i32.add (local.get $c) (i32.const 64)))
              (br $c16Next)))
            (block $c4Done (loop $c4Next
              (br_if $c4Done (i32.ge_u (local.get $c) (local.get $rowBytes)))
              (local.set $p (i32.add (local.get $oRow) (local.get $c)))
              (v128.store align=4 (local.get $p)
                (f32x4.add (v128.load align=4 (local.get $p))
                  (f32x4.mul (local.get $sv) (v128.load align=4 (i32.add (local.get $bRow) (local.get $c))))))
              (local.set $c (i32.add (local.get $c) (i32.const 16)))
              (br $c4Next)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rNext)))
      (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $kNext))))
  (func (export "abt")
    (param $a i32) (param $b i32) (param $out i32) (param $rows i32) (param $inner i32) (param $cols i32)
    (local $rowBytes i32) (local $end16 i32) (local $c i32) (local $r i32) (local $i i32)
    (local $bRow i32) (local $aRow i32) (local $o i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $pa i32) (local $pb i32)
    (local.set $rowBytes (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $end16 (i32.and (local.get $rowBytes) (i32.const -64)))
    (local.set $c (i32.const 0))
    (local.set $bRow (local.get $b))
    (block $cDone (loop $cNext
      (br_if $cDone (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $r (i32.const 0))
      (local.set $aRow (local.get $a))
      (block $rDone (loop $rNext
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $i16Done (loop $i16Next
          (br_if $i16Done (i32.ge_u (local.get $i) (local.get $end16)))
          (local.set $pa (i32.add (local.get $aRow) (local.get $i)))
          (local.set $pb (i32.add (local.get $bRow) (local.get $i)))
          (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 align=4 (local.get $pa)) (v128.load offset=0 align=4 (local.get $pb)))))
          (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 align=4 (local.get $pa)) (v128.load offset=16 align=4 (local.get $pb)))))
          (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 align=4 (local.get $pa)) (v128.load offset=32 align=4 (local.get $pb)))))
          (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 align=4 (local.get $pa)) (v128.load offset=48 align=4 (local.get $pb)))))
          (local.set $i (i32.add (local.get $i) (i32.const 64)))
          (br $i16Next)))
        (block $i4Done (loop $i4Next
          (br_if $i4Done (i32.ge_u (local.get $i) (local.get $rowBytes)))
          (local.set $s0 (f32x4.add (local.get $s0)
            (f32x4.mul (v128.load align=4 (i32.add (local.get $aRow) (local.get $i))) (v128.load align=4 (i32.add (local.get $bRow) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $i4Next)))
        (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
        (local.set $o (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (f32.store align=4 (local.get $o)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
            (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))
        (local.set $aRow (i32.add (local.get $aRow) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rNext)))
      (local.set $bRow (i32.add (local.get $bRow) (local.get $rowBytes)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cNext))))
)
