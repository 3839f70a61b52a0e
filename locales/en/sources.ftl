# Messages to the administrator from the sources (VK, Telegram channel).
sources-publish-failed = ⚠️ The answer for case No. { $case } was not published: { $reason }.
    The case is waiting for publication. Publish the answer by hand: { $link } — then press "Published by hand".
    Answer text:
    { $text }
sources-photos-not-uploaded = ⚠️ The answer for case No. { $case } was published without its photos ({ $count }): uploading photos to comments needs the VK community administrator's access key in the service settings. Add the photos by hand: { $link }
sources-missed = ⚠️ VK: { $why }. Messages between { $from } and { $to } may have been missed. Check the community wall and comments by hand: { $link }
    (Checking automatically needs the VK community administrator's access key in the service settings.)
sources-missed-why-history = the Long Poll event history was lost
sources-missed-why-downtime = the service was not running
sources-catchup-done = VK: after a gap, recent posts and comments were checked ({ $posts } posts); new messages found: { $found }.
sources-no-user-token = Not available: this needs the VK community administrator's access key in the service settings.
sources-moderation-failed = ⚠️ VK moderation ({ $action }) failed: { $reason }
sources-message-edited = ✏️ The author edited the message of case No. { $case }. It now reads:
    { $text }
    Before:
    { $original }
    { $link }
sources-message-deleted = 🗑 The author deleted the message of case No. { $case }. Its text is kept in the case:
    { $original }
sources-message-restored = ♻️ The message of case No. { $case } was restored:
    { $text }
sources-manual-reply-linked = ✅ The community answered case No. { $case } by hand in VK: { $link }
sources-follow-up = 💬 The author added to case No. { $case }:
    { $text }
sources-repeat-offer = 🔁 New case No. { $case }, author — { $author }. This author has closed cases: { $earlier }. It may be a repeat: check it and mark it as a repeat if so.
    { $link }
# "Published by hand": the answer was published by hand, the case is marked.
sources-manual-btn = ✅ Published by hand
sources-manual-btn-no-link = No link
sources-manual-ask-link = Send the link of the comment (message) you published by hand for case No. { $case } — or press "No link".
sources-manual-not-a-link = That does not look like a link. Send a link like https://vk.com/wall-1_2?reply=3 — or press "No link". Cancel: /cancel
sources-manual-done = ✅ Case No. { $case }: publication recorded, the answer was published by hand: { $link }
sources-manual-done-no-link = ✅ Case No. { $case }: publication recorded (published by hand, no link).
sources-manual-in-flight = The answer of this case is still being published. Wait for the result.
sources-publish-by-hand = 📝 The answer for case No. { $case } is approved. { $network } is not connected to the service: publish the answer yourself and press «✅ Published by hand».
sources-publish-by-hand-link = Where to publish: { $link }
sources-publish-by-hand-text = Answer text:
sources-max-comment-photos-not-sent = ⚠️ The answer for case No. { $case } was published as a comment in the MAX channel without its photos ({ $count }): MAX comments take text only. If the author needs the photos, give them another way.
