import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../../src/config/env.js';

const BOT_TOKEN = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123';

describe('OTKLIK_TEST_CHAT_SPACING_MS (the tests’ outbox spacing per Telegram chat)', () => {
  it('is absent unless set, so the service keeps Telegram’s spacing', () => {
    expect(loadEnv({ BOT_TOKEN }).OTKLIK_TEST_CHAT_SPACING_MS).toBeUndefined();
    expect(loadEnv({ BOT_TOKEN, OTKLIK_TEST_CHAT_SPACING_MS: ' ' }).OTKLIK_TEST_CHAT_SPACING_MS).toBeUndefined();
  });

  it('is a whole number of milliseconds', () => {
    expect(loadEnv({ BOT_TOKEN, OTKLIK_TEST_CHAT_SPACING_MS: '20' }).OTKLIK_TEST_CHAT_SPACING_MS).toBe(20);
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['fast', '-5', '1.5']) {
      expect(() => loadEnv({ BOT_TOKEN, OTKLIK_TEST_CHAT_SPACING_MS: bad })).toThrow(ConfigError);
      expect(() => loadEnv({ BOT_TOKEN, OTKLIK_TEST_CHAT_SPACING_MS: bad })).toThrow(/OTKLIK_TEST_CHAT_SPACING_MS is a whole number of milliseconds/);
    }
  });
});
