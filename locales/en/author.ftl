# Texts for the authors of messages (published as the community). An organization may replace any
# of them in otklik.yaml → templates (same keys; placeholders { $greeting }, { $case }, { $name }, …).

# А7.1: the author is told the message was taken up.
author-ack = { $greeting } Your message has been accepted for consideration (No. { $case }). The answer will be published here.
# А7.12: the question is not within the administration's competence.
author-not-competent = { $greeting } The question in your message is not within the administration's competence. You may contact: { $body }{ $contacts }.
author-not-competent-contacts = , { $contacts }
# А7.9: the term is extended.
author-extension = { $greeting } Considering your message (No. { $case }) requires additional materials; the term has been extended until { $until }.
# Greeting: by name when known.
author-greeting = Hello, { $name }!
author-greeting-anon = Hello!
# К17 · А7.11: the answer of the case the author's message was joined to (same problem, another citizen).
author-joined-answer = { $greeting } Your message was considered together with case No. { $case } on the same question. The administration's answer:

    { $text }
