# Case card: edited in place as the case moves.
card-title = 📨 <b>Case { $number }</b> · { $network }, { $source }
card-status = Status: <b>{ $status }</b>
card-urgent-mark = 🚨 urgent
card-author = Author: { $author }
card-original = Original: { $link }
card-detected = Detected: { $at }
card-triage = Importance: { $importance } · Topic: { $topic } · Location: { $location }
card-repeat-of = 🔁 Repeat of case { $number }
card-rejected = Rejected: { $reason } ({ $clause })
card-not-competent = Not the administration's competence; responsible body: { $body }
card-comment = Comment: { $text }
card-holders = Held by:
card-holder = { $order }. { $department } — { $who } ({ $role }, { $status })
card-holder-no-executor = the { $head } designates the executor
card-holder-admin = Held by: { $role } (routing)
card-assignment-role-responsible = responsible
card-assignment-role-co_executor = co-executor
card-assignment-status-assigned = waiting to be accepted
card-assignment-status-accepted = in work
card-assignment-status-returned = returned
card-assignment-status-part_submitted = part sent
card-assignment-status-withdrawn = withdrawn
card-deadlines = Deadlines:
card-deadline = • { $kind } — until { $due } · { $who } ({ $clause })
card-deadline-overdue = • ⏰ { $kind } — overdue, was due { $due } · { $who } ({ $clause })
card-deadline-paused = • ⏸ { $kind } — paused (waiting for the author), was due { $due } · { $who } ({ $clause })
card-published = ✅ Answer published { $at }: { $link }
card-attachment = { $type } { $n }
card-attachment-photo = photo
card-attachment-video = video
card-attachment-doc = document
card-attachment-link = link
card-attachment-audio = audio
card-attachment-other = attachment
card-attachments = { $count ->
    [one] { $count } attachment
   *[other] { $count } attachments
  }: { $list }
card-text-part = Case { $number }, text (part { $part } of { $of }):
card-text-above = The message text is above, in { $parts ->
    [one] { $parts } message
   *[other] { $parts } messages
  }.

card-source-vk_comment = comment
card-source-vk_post = wall post
card-source-vk_message = private message
card-source-vk_board = discussion board
card-source-vk_photo_comment = photo comment
card-source-vk_video_comment = video comment
card-source-vk_market_comment = product comment
card-source-external_page = mention on an external page
card-source-telegram = Telegram comment
card-source-manual = registered by hand

network-vk = VK
network-ok = Odnoklassniki
network-telegram = Telegram
network-facebook = Facebook
network-instagram = Instagram
network-web = website
network-other = other network

case-status-new = new, waiting to be routed
case-status-rejected = rejected
case-status-not_competent = not our competence
case-status-assigned = sent to the executor
case-status-returned = returned by the executor
case-status-in_work = in work
case-status-drafting = draft in preparation
case-status-dept_review = with the head of the unit
case-status-on_approval = waiting for approval
case-status-rework = in rework
case-status-approved = approved, waiting to be published
case-status-published = answer published
case-status-awaiting_final = waiting for the final answer
case-status-awaiting_author = waiting for the author
case-status-closed = closed

notify-new_case = 📨 New case { $number }.
notify-assigned = 📌 Case { $number } was sent to you.
notify-designate_executor = 📌 Case { $number } was sent to your unit: designate the executor.
notify-returned = ↩️ Case { $number } was returned by the executor: name another one.
notify-reassigned = 📌 Case { $number } was reassigned.
notify-part_contributed = 🧩 A co-executor sent a part for case { $number }.
notify-draft_for_department_review = 📝 The draft for case { $number } waits for your approval.
notify-draft_for_approval = 📝 The draft for case { $number } waits for approval.
notify-draft_returned = ✏️ The draft for case { $number } was sent back for rework.
notify-draft_approved = ✅ The draft for case { $number } was approved.
notify-to_publish = 📢 Case { $number }: publish the approved answer.
notify-published = ✅ The answer to case { $number } was published.
notify-author_replied = 💬 The author replied on case { $number }.
notify-extended = ⏳ The term of case { $number } was extended.
notify-rejected = Case { $number } was rejected.
notify-closed = Case { $number } was closed.

views-queue-title = Waiting for you: { $count ->
    [one] { $count } case
   *[other] { $count } cases
  }
views-queue-empty = Nothing waits for you right now.
views-overdue-title = Overdue: { $count ->
    [one] { $count } deadline
   *[other] { $count } deadlines
  }
views-overdue-empty = No overdue deadlines.
views-case-usage = Give the case number: /case 42
views-case-not-found = Case { $number } was not found or is not available to you.
views-find-usage = Say what to look for: /find Lenina 5 (or a case number).
views-find-nothing = Nothing found for “{ $query }”.
views-find-title = Found: { $count ->
    [one] { $count } case
   *[other] { $count } cases
  }
views-due = until { $due }
views-due-overdue = ⏰ overdue ({ $due })
views-more = …and { $count } more.

manual-author-unknown = author not given
manual-registered = ✅ Case { $number } registered ({ $network }). The administrators received its card.
manual-duplicate = This message is already registered (case { $number }).

# Who assigned and what is asked
card-assigned-by = Assigned by: { $name }, { $role } · { $at }
card-designated-by = Executor named by: { $name } · { $at }
card-asked = Asked: { $text }
card-asked-topic = Asked: answer the author · topic “{ $topic }”, location: { $location }

# Paged lists
paging-page = Page { $page } of { $pages }
paging-prev = ◀ Back
paging-next = Next ▶
views-list-gone = This list is out of date: ask for it again.
manual-confirm = Register as a case? The term starts right after you confirm.
    Network: { $network }
    Author: { $author }
    Link: { $link }
    Text: { $text }
manual-confirm-yes = ✅ Yes, register
manual-confirm-no = No
manual-not-registered = Not registered: the message did not become a case.
manual-confirm-gone = This question is already settled.
notify-control_date_needed = 📅 The intermediate answer on case { $number } promised the final one on a condition — set the control date.
notify-deadline_moved = 🗓 The terms of case { $number } were recomputed for the calendar — the new times are on the card.
card-joined-into = 🔗 Joined to case { $number }: its answer will go to this author too
card-joined = 🔗 Joined: { $cases } — the answer will be published under { $count ->
    [one] that message
   *[other] those messages
  } too

# An earlier copy of a card after a fresh one was sent below: no case text left in it.
card-moved = The card of case No. { $number } is below, in a new message.
card-source-max = MAX message
network-max = MAX
card-source-max_comment = MAX channel comment
