# The administrator's triage — card buttons.
btn-importance = ⚡ Importance
btn-topic = 🏷 Topic
btn-location = 📍 Location
btn-departments = 🏢 Send to units
btn-reassign = 🏢 Name another executor
btn-reject = ✖ Reject
btn-not-competent = ↪ Not our competence
btn-repeat = 🔁 Repeat
btn-ban = ⛔ Block the author
btn-urgent = 🚨 Urgent — to the head
btn-back = ← Back
btn-type-it = ✍ Type it
btn-make-responsible = ★ responsible
btn-assign = ✅ Send ({ $count ->
    [one] { $count } unit
   *[other] { $count } units
  })
btn-no-body = No body named
btn-confirm-send = ✅ Confirm and tell the author
btn-search = 🔎 Find by number or text
admin-bad-choice = This button no longer works. Open the card again: /case and the number.
admin-done-importance = Importance: { $value }
admin-done-saved = Saved.
admin-type-topic = Type the topic of case { $number } in one message (or /cancel).
admin-type-location = Type the location of case { $number } in one message (or /cancel).
admin-done-assigned = Sent to: { $departments }
admin-done-rejected = The case was rejected.
admin-no-bodies = The organization's settings name no outside bodies: ask whoever sets up the service to add them.
admin-not-competent-preview = ⚠ Case { $number } is not the administration's competence. Responsible body: <b>{ $body }</b>.
    The author will receive this reply:
    <blockquote>{ $text }</blockquote>
admin-not-competent-confirm = ⚠ Case { $number } is not the administration's competence. Responsible body: <b>{ $body }</b>. Please confirm.
admin-done-not-competent = Marked as not our competence.
admin-type-repeat-search = Type the number of the earlier case or words of its text (for case { $number }), or /cancel.
admin-done-repeat = Marked as a repeat of case { $number }.
admin-search-nothing = Nothing found for “{ $query }”. Try other words or /cancel.
admin-search-results = Found: { $count }. Choose the earlier case:
ban-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
  }
ban-forever = without end
admin-done-banned = The author is blocked.
admin-done-urgent = Sent to the head as urgent.

# The note of an assignment (what is asked; the executor sees it on the card)
btn-note = 📝 What to ask
admin-type-note = Type in one message what is asked on case { $number } (the executor sees it on the card). Then press “Send” (or /cancel).
admin-note-saved = Note saved. Now choose the departments and press “Send”.
btn-join = 🔗 Join to…
admin-type-join-search = Type the number of the case to join No. { $number } to (the same question; its answer will go to this author too), or words of its text, or /cancel.
admin-join-results = Found: { $count }. Choose the case to join to:
admin-done-joined = Joined to No. { $number }: its answer will go to this author too.

# Summary during a flood of cases: one message instead of a card each (edited in place)
storm-summary = 🌊 <b>New cases: { $count } in { $minutes } min</b> — arriving faster than the chat can show cards.
storm-summary-calm = 🌊 <b>The flood calmed.</b> Cases of { $minutes } min not opened yet: { $count }; new ones come as cards again.
storm-top = Most frequent: { $groups }
storm-hint = Open the list or the groups of similar ones; a case's card opens with /case_N.
storm-list-btn = 📋 List ({ $count })
storm-groups-btn = 🧩 Groups of similar
storm-list-title = <b>New cases without a card in this chat: { $count }</b>
storm-groups-title = <b>Groups of similar among { $count } new cases</b>
storm-group-other = Other
storm-not-yours = This list is for the administrator.
## Moving a case to another department at any moment; the control date for conditions (А7.8)
admin-btn-move = ↪️ Move to another department
admin-move-ask = Moving case { $number }: press “{ btn-note }” and type the reason (it goes into the audit log), then choose the department. The terms keep counting from the detection.
admin-move-reason-needed = First give the reason for moving: “{ btn-note }”.
control-date-btn = 📅 Set the control date
control-date-ask = The intermediate answer on case { $case } promised the final answer on a condition: “{ $conditions }”. Type the control date of the final answer (e.g. “до 15.04.2027” or “в течение 20 рабочих дней”). /cancel to cancel.
control-date-bad = I did not understand the term. Type a future date (DD.MM.YYYY) or “в течение N рабочих дней”.
control-date-set = Control date of the final answer on case { $case }: { $date }.

## Days off declared in the bot (regional holidays)
day-usage = Declare a day: <code>/day 20.03.2026 — нерабочий, Ураза-байрам</code> (also «рабочий», «сокращённый»). Open terms are recomputed at once. Declared days:
day-line = • { $date } — { $kind } { $note }
day-kind-off = day off
day-kind-work = working day
day-kind-short = shortened day
day-bad = I did not understand. Write, for example: <code>/day 20.03.2026 — нерабочий, Ураза-байрам</code>.
day-declared = { $date } — { $kind } { $note }. Terms recomputed: changed in { $changed } cases; the executors were told the new time.
day-undeclared = ⚠️ The movable regional days off of { $region } for { $year } (Uraza Bayram, Kurban Bayram) are not declared yet — terms are counted without them. Declare them with <code>/day DD.MM.YYYY — нерабочий, name</code>.
