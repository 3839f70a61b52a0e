# Отказы процесса (src/domain/workflow/refusals.ts): показываются во всплывающем окне, ничего не меняется.
workflow-refusal-wrong_role = Это действие не предусмотрено для вашей роли.
workflow-refusal-wrong_state = Обращение уже в другом состоянии — карточка устарела. Действие не выполнено.
workflow-refusal-not_assignee = Это обращение назначено не вам.
workflow-refusal-wrong_department = Это обращение другого подразделения.
workflow-refusal-window_closed = Срок для этого действия истёк ({ $clause }).
workflow-refusal-already_done_by = Уже сделано: { $by }
workflow-refusal-already_done = Это уже сделано.
workflow-refusal-not_provided = Регламент не предусматривает этого действия.
workflow-refusal-unknown_reason = Такого основания нет в регламенте.
workflow-refusal-term_required = В промежуточном ответе укажите срок или условия окончательного ответа.
workflow-refusal-term_too_long = Срок больше, чем допускает регламент.
workflow-refusal-measures_required = Ответ на повторное сообщение должен содержать сведения о принятых мерах.
workflow-refusal-no_executor = Сначала руководитель подразделения должен назначить исполнителя.
workflow-refusal-not_found = Не найдено.
workflow-refusal-invalid = Недостаточно данных для этого действия.
workflow-refusal-already_accepted = Автору уже сообщено, что сообщение принято к рассмотрению (А7.1), — отклонить его теперь нельзя (А9). Передайте его исполнителю или отметьте как не относящееся к компетенции.
