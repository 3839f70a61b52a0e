import Database from 'better-sqlite3';
import type { ChatMessage, FakeTelegram, TgUser } from '../../src/sandbox/emulators/telegram.js';
import { waitFor } from '../../src/sandbox/emulators/wait.js';

/** Reads the service's database (read-only) — the tests' check that a refused press changed nothing. */
export function readDb<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function caseRow(
  dbPath: string,
  number: number,
): { id: number; status: string; topic: string | null; location: string | null; importance: string; version: number; repeat_of: number | null; outside_body_id: string | null } {
  const [row] = readDb<ReturnType<typeof caseRow>>(dbPath, 'SELECT * FROM cases WHERE number = ?', number);
  if (!row) throw new Error(`no case № ${number}`);
  return row;
}

/** Waits for a button whose text contains `label` on the message, then presses it as `user`. */
export async function press(tg: FakeTelegram, user: TgUser, message: { chat_id: number; message_id: number }, label: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const button = await buttonShown(tg, message, label, timeoutMs);
  return tg.userPressesButton(user, message, button.callback_data!);
}

/** Waits until the message shows a callback button whose text contains (or matches) `label`. */
export function buttonShown(tg: FakeTelegram, message: { chat_id: number; message_id: number }, label: string | RegExp, timeoutMs = 10_000) {
  return waitFor(
    () => {
      const m = tg.messagesTo(message.chat_id).find((x) => x.message_id === message.message_id);
      if (!m) return undefined;
      return tg.buttonsOf(m).find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)) && b.callback_data);
    },
    {
      timeoutMs,
      message: () => {
        const m = tg.messagesTo(message.chat_id).find((x) => x.message_id === message.message_id);
        return `button ${String(label)} on message ${message.message_id}; buttons: ${JSON.stringify(m ? tg.buttonsOf(m).map((b) => b.text) : null)}`;
      },
    },
  );
}

/** The answer to a callback query (toast or alert), once the bot gave it. */
export function answerOf(tg: FakeTelegram, queryId: string, timeoutMs = 10_000) {
  return waitFor(() => tg.callbackAnswers().find((a) => a.callback_query_id === queryId), { timeoutMs, message: () => `answer to callback ${queryId}` });
}

/** The current state of one bot message. */
export function current(tg: FakeTelegram, m: { chat_id: number; message_id: number }): ChatMessage {
  const found = tg.messagesTo(m.chat_id).find((x) => x.message_id === m.message_id);
  if (!found) throw new Error(`message ${m.message_id} is gone`);
  return found;
}

/** Waits until the message (same message_id) shows text matching `re`. */
export function waitForEdit(tg: FakeTelegram, m: { chat_id: number; message_id: number }, re: RegExp, timeoutMs = 10_000): Promise<ChatMessage> {
  return tg.waitForMessage(m.chat_id, (x) => x.message_id === m.message_id && re.test(x.text ?? ''), timeoutMs);
}
