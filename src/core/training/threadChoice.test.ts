import { describe, expect, it } from 'vitest';
import { measuredReason, pickThreads, threadCandidates } from './threadChoice';

describe('threadCandidates', () => {
  it.each([
    [2, true, [1, 2]],
    [4, true, [1, 2, 4]],
    [6, true, [1, 3, 6]],
    [1, true, [1]],
    [3, true, [1, 3]],
    [12, true, [1, 6, 8]],
    [32, true, [1, 8]],
    [8, false, [1]],
    [0, true, [1]],
  ])('%i cores, cross-origin isolated %s: %j', (cores, isolated, expected) => {
    expect(threadCandidates(cores, isolated)).toEqual(expected);
  });
});

describe('pickThreads', () => {
  it('takes more threads only when at least 10% faster than the fewer', () => {
    expect(pickThreads([{ threads: 1, samplesPerSec: 1000 }, { threads: 2, samplesPerSec: 1100 }])).toBe(2);
    expect(pickThreads([{ threads: 1, samplesPerSec: 1000 }, { threads: 2, samplesPerSec: 1099 }])).toBe(1);
    expect(pickThreads([{ threads: 2, samplesPerSec: 900 }, { threads: 1, samplesPerSec: 1000 }])).toBe(1);
  });

  it('compares each larger count with the count chosen so far', () => {
    const speeds = [
      { threads: 4, samplesPerSec: 1240 },
      { threads: 1, samplesPerSec: 1000 },
      { threads: 2, samplesPerSec: 1150 },
    ];
    expect(pickThreads(speeds)).toBe(2); // 4 is only 8% faster than 2
    speeds[0]!.samplesPerSec = 1300;
    expect(pickThreads(speeds)).toBe(4);
  });

  it('ignores failed measurements and has no answer without any', () => {
    expect(pickThreads([{ threads: 1, samplesPerSec: 0 }, { threads: 2, samplesPerSec: 500 }])).toBe(2);
    expect(pickThreads([])).toBeNull();
  });
});

describe('measuredReason', () => {
  it('names the other counts with both speeds, and when they were measured', () => {
    const speeds = [
      { threads: 1, samplesPerSec: 2700.4 },
      { threads: 2, samplesPerSec: 2400 },
    ];
    expect(measuredReason(1, speeds, 'now')).toBe('1 thread: 2 threads measured 2,400 samples/s vs 2,700 on 1 (measured just now)');
    expect(measuredReason(1, speeds, 'cached')).toMatch(/\(measured earlier on this device\)$/);
  });

  it('says when more threads were faster, but not by enough', () => {
    const speeds = [
      { threads: 1, samplesPerSec: 2700 },
      { threads: 2, samplesPerSec: 2800 },
    ];
    expect(measuredReason(1, speeds, 'now')).toBe(
      '1 thread: 2 threads measured 2,800 samples/s vs 2,700 on 1, less than 10% faster (measured just now)',
    );
  });

  it('explains a choice of more threads against each other count', () => {
    const speeds = [
      { threads: 1, samplesPerSec: 1000 },
      { threads: 2, samplesPerSec: 1500 },
      { threads: 4, samplesPerSec: 1550 },
    ];
    expect(measuredReason(2, speeds, 'now')).toBe(
      '2 threads: 1 thread measured 1,000 samples/s vs 1,500 on 2; 4 threads measured 1,550 samples/s vs 1,500 on 2, less than 10% faster (measured just now)',
    );
  });
});
