;; Adam's step for one weight, four floats at a time (WebAssembly SIMD), over the memory of
;; tfjs' wasm backend. Assembled by `npm run build:simd` into adam.binary.ts; see
;; ../wasmSimd.ts. All arguments are byte offsets into that memory, a count of floats
;; (a multiple of 4) and the step's scalars:
;;   m' = b1·m + a1·g;  v' = b2·v + a2·g²;  w' = w − step·m' / (√(v'·vScale) + eps)
;; with a1 = 1 − b1, a2 = 1 − b2, step = lr / (1 − b1^t), vScale = 1 / (1 − b2^t).
;; Numbers too small to matter are made 0 (a gradient under 1e-18, a moment under 1e-30): else
;; they become subnormal floats (under 1.2e-38: g² of a tiny gradient, or a moment decaying by b1
;; every step where a pixel is rarely lit), and x86 computes on those about 100 times slower.
;; At batch size 1 that made this loop 85% of the step after 2,000 steps (2.9 -> 11 ms per
;; step). What it drops moves a weight by under 1e-15 times the learning rate. (A NaN fails
;; every comparison, so it is kept, as Keras keeps it.)
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $ow i32) (param $om i32) (param $ov i32) (param $n i32)
    (param $step f32) (param $b1 f32) (param $a1 f32) (param $b2 f32) (param $a2 f32)
    (param $vScale f32) (param $eps f32)
    (local $i i32) (local $end i32)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $STEP v128) (local $B1 v128) (local $A1 v128) (local $B2 v128) (local $A2 v128)
    (local $VS v128) (local $EPS v128) (local $TINY_G v128) (local $TINY_S v128)
    (local.set $STEP (f32x4.splat (local.get $step)))
    (local.set $B1 (f32x4.splat (local.get $b1)))
    (local.set $A1 (f32x4.splat (local.get $a1)))
    (local.set $B2 (f32x4.splat (local.get $b2)))
    (local.set $A2 (f32x4.splat (local.get $a2)))
    (local.set $VS (f32x4.splat (local.get $vScale)))
    (local.set $EPS (f32x4.splat (local.get $eps)))
    (local.set $TINY_G (f32x4.splat (f32.const 1e-18)))
    (local.set $TINY_S (f32x4.splat (f32.const 1e-30)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gi (v128.load align=4 (i32.add (local.get $g) (local.get $i))))
        (local.set $gi (v128.andnot (local.get $gi) (f32x4.lt (f32x4.abs (local.get $gi)) (local.get $TINY_G))))
        (local.set $mi
          (f32x4.add
            (f32x4.mul (local.get $B1) (v128.load align=4 (i32.add (local.get $m) (local.get $i))))
            (f32x4.mul (local.get $A1) (local.get $gi))))
        (local.set $mi (v128.andnot (local.get $mi) (f32x4.lt (f32x4.abs (local.get $mi)) (local.get $TINY_S))))
        (local.set $vi
          (f32x4.add
            (f32x4.mul (local.get $B2) (v128.load align=4 (i32.add (local.get $v) (local.get $i))))
            (f32x4.mul (local.get $A2) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (local.set $vi (v128.andnot (local.get $vi) (f32x4.lt (local.get $vi) (local.get $TINY_S))))
        (v128.store align=4 (i32.add (local.get $om) (local.get $i)) (local.get $mi))
        (v128.store align=4 (i32.add (local.get $ov) (local.get $i)) (local.get $vi))
        (v128.store align=4 (i32.add (local.get $ow) (local.get $i))
          (f32x4.sub
            (v128.load align=4 (i32.add (local.get $w) (local.get $i)))
            (f32x4.div
              (f32x4.mul (local.get $STEP) (local.get $mi))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vi) (local.get $VS))) (local.get $EPS)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))))
