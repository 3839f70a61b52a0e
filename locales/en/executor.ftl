# Executor, department head, extension, conversation state (issue 5 §3, §4, §7)

## Conversation state
conversation-cancelled = OK, input cancelled. Nothing already sent has changed.
conversation-nothing-to-cancel = There is nothing to cancel.
conversation-stale = Case { $number } has moved on (now: { $status }; last action by { $by }) — your input was not applied and is closed. Card: /case_{ $number }

## Common answers to presses
work-case-not-found = Case not found.
work-button-unknown = This button no longer works.
work-publish-requested = The answer is being published.

## Executor: buttons
executor-btn-accept = ✅ Accept
executor-btn-return = ↩️ Return
executor-btn-draft = ✍️ Write the answer
executor-btn-rework = ✍️ Rework
executor-btn-part = 📎 Send my part
executor-btn-show = 👁 Show the draft
executor-btn-send = 📤 Submit for approval
executor-btn-send-part = 📤 Send the part
executor-btn-clear = 🗑 Clear
executor-btn-promised-limit = Latest date: { $date }
executor-kind-final = Final
executor-kind-intermediate = Intermediate
executor-kind-clarification = Clarification request

## Executor: accept and return (К9, А7.2)
executor-accepted-toast = Accepted.
executor-accept-first = Accept the case first.
executor-return-ask = Returning case No. { $case }: write the reason in one message (possible until { $until }, { $clause }). /cancel if you changed your mind.
executor-return-need-text = Write the reason as text or send /cancel.
executor-return-window-closed = The return window is over ({ $until }, { $clause }). Ask the curator or your head.
executor-returned = Case No. { $case } returned. The { $role } names a new executor.

## Executor: the draft
executor-question = <b>What</b> { $author } <b>asks</b>:
    <blockquote>{ $text }</blockquote>
executor-draft-intro = ✍️ <b>Draft answer to case No. { $case }</b>
executor-draft-how = Send the answer text, photos or videos (albums too) — they are collected into one draft. Then choose the kind of answer and press «Submit for approval». /cancel to leave without sending.
executor-draft-added = Added to the draft for No. { $case } (kind: { $kind }). Send more, show it or submit it.
executor-draft-unsupported = A draft takes text, photos or videos.
executor-draft-empty = The draft is empty: send a text, a photo or a video.
executor-draft-cleared = Draft cleared.
executor-draft-need-text = The draft has no answer text: send it as a message.
executor-draft-not-open = This draft is no longer open. Press «Write the answer» on the case card.
executor-draft-preview = 👁 <b>Draft answer to No. { $case }</b> · { $kind } · promised by: { $promised }
    This is how it will be published:
executor-draft-sent-toast = Draft submitted.
executor-draft-sent = The draft answer to No. { $case } was submitted for approval: { $role }.
executor-rework-same-kind = In rework only the text and attachments change; the kind of answer stays.
executor-final-after-intermediate = The intermediate answer is published — now the final one is due.

## Intermediate answer: the promised date (К15, А7.8)
executor-promised-ask-limit = Intermediate answer: give the date of the final answer (DD.MM.YYYY) — no later than { $limit } ({ $clause }), or press the button.
executor-promised-ask = Intermediate answer: state the term of the final answer or its conditions in the text ({ $clause }: «до 25.12.2026», «в течение 10 рабочих дней», «после схода снега») — I will offer them with one button; or send a date on its own (DD.MM.YYYY).
executor-promised-bad = I did not understand the date. Write, for example, { $example }.
executor-promised-set = Final answer promised by { $date }.
executor-promised-required = An intermediate answer needs the term or the conditions of the final answer.

## Co-executors (К16, А7.10)
executor-part-intro = 📎 <b>Your part of the answer to No. { $case }</b>
    <blockquote>{ $question }</blockquote>
    Send the text (and photos or videos if needed), then press «Send the part». /cancel to leave.
executor-part-added = Added to your part for No. { $case }.
executor-part-preview = 👁 <b>Your part for No. { $case }</b>
executor-part-sent-toast = Part sent.
executor-part-sent = Your part for No. { $case } was sent to the responsible executor.
executor-parts-title = <b>Co-executors' parts</b> ({ $count } of { $total }):
executor-part-line = • { $department }, { $name }: <blockquote>{ $text }</blockquote>{ $media ->
        [0] {""}
        [one] (and { $media } attachment)
       *[other] (and { $media } attachments)
    }
executor-part-missing = • { $department }, { $name }: part not sent yet.
executor-part-arrived = 📎 No. { $case }: part from { $department } ({ $name }):
    <blockquote>{ $text }</blockquote>
    { $missing ->
        [0] All parts are in — the joint answer can be written.
        [one] Still waiting for { $missing } part.
       *[other] Still waiting for { $missing } parts.
    }

## Rework (К13, А7.6)
executor-rework-title = ↩️ <b>No. { $case }: the draft was returned for rework</b>
executor-rework-comment = Comment ({ $by }): <blockquote>{ $text }</blockquote>
executor-rework-earlier = Earlier version{ $media ->
        [0] {""}
        [one] (and { $media } attachment)
       *[other] (and { $media } attachments)
    }: <blockquote>{ $text }</blockquote>

## Deadlines (working time)
executor-deadlines = <b>Deadlines</b>
executor-deadline-line = • { $kind }: by { $due } ({ $clause })
executor-deadline-paused = (paused)
executor-deadline-return = • return as not ours until { $due } ({ $clause })

## Department head (К7, К11)
dept-btn-designate = 👤 Assign: { $name }
dept-designated-toast = Executor assigned.
dept-designated = Case No. { $case }: executor — { $name }
dept-approved-toast = Draft agreed.
dept-approved = The draft for No. { $case } is agreed and passed on: { $role }.
review-dept-title = 📝 <b>No. { $case }: draft answer to agree</b> · { $kind }
    Question: <blockquote>{ $question }</blockquote>
    This is how it will be published:
review-btn-approve = ✅ Agree
review-btn-return = ↩️ Return with a comment
review-comment-ask = No. { $case }: write your comment for the executor in one message. /cancel if you changed your mind.
review-comment-need-text = Write the comment as text or send /cancel.
review-returned = The draft for No. { $case } was returned to the executor for rework.

## Extension of the term (А7.9)
extension-btn-request = ⏳ Ask for more time
extension-ask-reason = No. { $case }: why does the term need extending ({ $clause }: more materials or other measures)? Write it in one message.
extension-request-sent = The request to extend the term of No. { $case } was sent.
extension-requested = ⏳ <b>No. { $case }: request to extend the term</b>
    { $name }: <blockquote>{ $reason }</blockquote>
    The author will be told of an extension. Current term — until { $due }
extension-btn-days = { $days ->
        [one] +{ $days } day
       *[other] +{ $days } days
    }
extension-btn-decline = Decline
extension-granted-toast = Term extended.
extension-granted = The term of No. { $case } is extended to { $until }; the author will be told.
extension-declined = The extension of the term of No. { $case } was declined.
executor-question-anonymous = <b>The author's question</b>:
    <blockquote>{ $text }</blockquote>
dept-designate-not-executor = Only an active executor of this department can be named.

## Repeat message: measures taken (К17, А7.11); the term or conditions in an intermediate answer's text (А7.8)
executor-measures-ask = Case No. { $case } is a repeat: the answer must report the measures taken or the progress (К17, А7.11). Write the measures in one message — they become part of the published answer. If the answer's text already states them, press the button.
executor-btn-measures-in-text = ✅ The text states the measures — submit
executor-measures-set = The measures are added to the answer. Press «Submit for approval».
executor-term-found = The answer states a term: «{ $phrase }» (by { $date }). Take it as the term of the final answer? Or send another date (DD.MM.YYYY).
executor-btn-term-found = ✅ Term: { $date }
executor-term-found-condition = The answer states a condition: «{ $condition }». Take it as the condition of the final answer (А7.8)? Or send a date (DD.MM.YYYY).
executor-btn-condition = ✅ Condition: { $condition }
executor-condition-set = Condition of the final answer: «{ $condition }». The administrator will set the control date.
