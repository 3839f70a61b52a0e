# Common bot texts
unknown-user = Hello! This bot is the workspace of the administration's staff. Your Telegram ID: { $id }. To get access, give it to the administrator or open an invite link.
start-staff = Hello, { $name }! You are signed in as: { $roles }.
error-generic = The action failed. Please try again or contact the administrator.
outbox-failed = ⚠️ Could not perform { $action } for case No. { $case }: { $reason }. Please check and do it by hand if needed.
case-open-btn = 📂 Open the case

# Help (/help), the next step after /start, the answer to a message the bot could not place
command-help = What I can do (help)
help-title = ℹ️ <b>{ $name }, this is what you can do here</b>
help-administrator = <b>As { $title }:</b>
    • A new case arrives as a card. Set importance, topic and location, then «🏢 Send to units» — tick the departments (★ — responsible).
    • A draft answer arrives for approval: «✅ Approve» and «↩️ Send to rework» are right under the draft.
    • A forwarded message or a link to a social-network message can be registered as a case: the bot shows what it recognised and asks first.{ $publisher }
    • /queue — what waits for you, /overdue — overdue deadlines, /find — search, /staff — people and access, /invite — invite a person, /report — monthly summary.
help-coordinator = <b>As { $title }:</b>
    • You see every case and deadline; missed deadlines reach you at once and in the daily digest.
    • /overdue — overdue deadlines, /queue — what waits for you, /find — search, /report — monthly summary.
help-head = <b>As { $title }:</b>
    • Urgent cases reach you at once, marked 🚨.
    • /today — today's summary, /overdue — overdue deadlines, /find — search, /report — monthly summary.
help-department_head = <b>As { $title }:</b>
    • A case given to your department arrives as a card: press «👤 Assign» and choose the executor.
    • The executor's draft comes to you for agreement (when the regulation asks it): «✅ Agree» or «↩️ Return with a comment» — under the draft itself.
    • /queue — what waits for you, /overdue — overdue deadlines, /find — search.
help-executor = <b>As { $title }:</b>
    • A task arrives as a card: «✅ Accept» or «↩️ Return» with a reason (within the first 30 minutes).
    • «✍️ Write the answer»: send the text and photos in one or more messages, then «📤 Submit for approval».
    • If the draft comes back, you get the comment and «✍️ Rework».{ $publisher }
    • /queue — what waits for you, /overdue — your overdue deadlines, /find — search.
help-you-publish = { "" }
    • You publish the approved answer: «📢 Publish» on the card.
help-common = For everyone: /case 5 or /case_5 — the card of case No. 5, /away — absence and substitute, /cancel — cancel input, /help — this help. More in the guide (buttons below).
help-guide-btn = 📖 Guide: { $title }
help-guide-missing = The guide is not available now: ask the administrator.
help-unknown-command = There is no such command: { $command }. The commands — /help.
help-unplaced = I could not tell what this message is about and saved nothing. To work on a case, open its card (/queue — what waits for you, /case 5 — case No. 5) and press the button under it. Help — /help.
help-unplaced-reply = A reply to a bot message is not saved. To answer on case No. { $number }, press «📂 Open the case» below, then the button under the card (e.g. «✍️ Write the answer»).
start-next-administrator = Next: new cases will arrive here as cards — route them with «🏢 Send to units». What waits for you now — /queue, help — /help.
start-next-coordinator = Next: missed deadlines will arrive here. Overdue now — /overdue, help — /help.
start-next-head = Next: urgent cases will arrive here at once. Today's summary — /today, help — /help.
start-next-department_head = Next: tasks for your department will arrive here — assign an executor with the button under the card. What waits for you now — /queue, help — /help.
start-next-executor = Next: tasks will arrive here as a card with «✅ Accept». What waits for you now — /queue, help — /help.
outbox-action-telegram = a Telegram message
outbox-action-vk = a VK action
outbox-action-telegram_channel = a Telegram publication
outbox-action-other = an outside service
unknown-user-max = Hello! This bot is the administration staff's workspace. Your MAX ID: { $id }. To get access, give it to the administrator or open an invite link.
outbox-action-max = a message in MAX
