# Approval and publication of the answer (К12–К14, А7.5–А7.7)
approval-title = 📝 <b>No. { $case }: draft answer for approval</b> · { $kind } · prepared by { $by }
approval-question = Question: <blockquote>{ $text }</blockquote>
approval-promised = Final answer promised by: { $date }
approval-version = Version { $n } (after rework).
approval-as-published = This is how the answer will be published:
approval-btn-approve = ✅ Approve
approval-btn-rework = ↩️ Send to rework
approval-btn-publish = 📢 Publish
approval-approved-toast = Answer approved.
approval-approved-executor = The answer to No. { $case } is approved; the { $role } publishes it («Publish» button, within 30 minutes).
approval-approved-administrator = The answer to No. { $case } is approved. Publish it with the «Publish» button on the card.
approval-approved-on_approval = The answer to No. { $case } is approved and sent for publication.
