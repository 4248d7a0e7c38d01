import { describe, expect, it } from 'vitest';
import { shortcutAction } from './shortcuts';

const none = { ctrl: false, alt: false, meta: false };
const body = { tagName: 'BODY' };

describe('shortcutAction', () => {
  it.each([
    [' ', 'idle', true, 'train'],
    [' ', 'finished', true, 'train'],
    [' ', 'idle', false, null],
    [' ', 'training', true, 'pause'],
    [' ', 'paused', true, 'resume'],
    [' ', 'preparing', true, null],
    ['Escape', 'training', true, 'stop'],
    ['Escape', 'paused', true, 'stop'],
    ['Escape', 'finished', true, null],
    ['x', 'idle', true, null],
  ] as const)('%j while %s (can train: %s) → %s', (key, status, canTrain, action) => {
    expect(shortcutAction(key, body, none, status, canTrain)).toBe(action);
  });
  it('N runs the next lesson step when a lesson has one', () => {
    expect(shortcutAction('n', body, none, 'finished', true, true)).toBe('next');
    expect(shortcutAction('N', body, none, 'idle', true, false)).toBeNull();
  });
  it('leaves keys in fields, on buttons and with modifiers alone', () => {
    expect(shortcutAction(' ', { tagName: 'INPUT' }, none, 'training', true)).toBeNull();
    expect(shortcutAction(' ', { tagName: 'BUTTON' }, none, 'idle', true)).toBeNull();
    expect(shortcutAction(' ', { tagName: 'DIV', isContentEditable: true }, none, 'idle', true)).toBeNull();
    expect(shortcutAction(' ', body, { ...none, ctrl: true }, 'idle', true)).toBeNull();
  });
});
