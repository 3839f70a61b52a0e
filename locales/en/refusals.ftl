# Workflow refusals (src/domain/workflow/refusals.ts): shown as an alert; nothing changes.
workflow-refusal-wrong_role = This step is not provided for your role.
workflow-refusal-wrong_state = The case has moved on — this card is out of date. Nothing was done.
workflow-refusal-not_assignee = This case is not assigned to you.
workflow-refusal-wrong_department = This case belongs to another unit.
workflow-refusal-window_closed = The time for this step is over ({ $clause }).
workflow-refusal-already_done_by = Already done by { $by }
workflow-refusal-already_done = This is already done.
workflow-refusal-not_provided = The regulation does not provide for this step.
workflow-refusal-unknown_reason = The regulation has no such reason.
workflow-refusal-term_required = An intermediate answer must state the term or the conditions of the final answer.
workflow-refusal-term_too_long = The term is longer than the regulation allows.
workflow-refusal-measures_required = The answer to a repeat must report the measures taken.
workflow-refusal-no_executor = The head of the unit must designate the executor first.
workflow-refusal-not_found = Not found.
workflow-refusal-invalid = Not enough data for this step.
workflow-refusal-already_accepted = The author has already been told the message is accepted for consideration (А7.1); it can no longer be rejected (А9). Route it to an executor or mark it as not competent.
