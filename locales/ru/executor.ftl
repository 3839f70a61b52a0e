# Исполнитель, руководитель подразделения, продление срока, состояние переписки (issue 5 §3, §4, §7)

## Состояние переписки
conversation-cancelled = Хорошо, ввод отменён. Ничего из уже отправленного не изменилось.
conversation-nothing-to-cancel = Сейчас нечего отменять.
conversation-stale = Обращение № { $number } уже продвинулось дальше (сейчас: { $status }; последнее действие: { $by }) — ваш ввод не применён и закрыт. Карточка: /case_{ $number }

## Общие ответы на нажатия
work-case-not-found = Обращение не найдено.
work-button-unknown = Эта кнопка больше не действует.
work-publish-requested = Ответ отправлен на публикацию.

## Исполнитель: кнопки
executor-btn-accept = ✅ Принять
executor-btn-return = ↩️ Вернуть
executor-btn-draft = ✍️ Написать ответ
executor-btn-rework = ✍️ Доработать
executor-btn-part = 📎 Отправить свою часть
executor-btn-show = 👁 Показать проект
executor-btn-send = 📤 Отправить на согласование
executor-btn-send-part = 📤 Отправить часть
executor-btn-clear = 🗑 Очистить
executor-btn-promised-limit = Крайний срок: { $date }
executor-kind-final = Окончательный
executor-kind-intermediate = Промежуточный
executor-kind-clarification = Запрос уточнения

## Исполнитель: принятие и возврат (К9, А7.2)
executor-accepted-toast = Принято в работу.
executor-accept-first = Сначала примите обращение.
executor-return-ask = Возврат обращения № { $case }: напишите причину одним сообщением (вернуть можно до { $until }, { $clause }). /cancel — передумали.
executor-return-need-text = Напишите причину возврата текстом или отправьте /cancel.
executor-return-window-closed = Срок возврата истёк ({ $until }, { $clause }). Обратитесь к куратору или руководителю.
executor-returned = Обращение № { $case } возвращено. Решение о новом исполнителе принимает { $role }.

## Исполнитель: проект ответа
executor-question = <b>Что спрашивает</b> { $author }:
    <blockquote>{ $text }</blockquote>
executor-draft-intro = ✍️ <b>Проект ответа по обращению № { $case }</b>
executor-draft-how = Пришлите текст ответа, фото или видео (можно альбомом) — всё соберётся в один проект. Потом выберите вид ответа и нажмите «Отправить на согласование». /cancel — выйти без отправки.
executor-draft-added = Добавлено в проект по № { $case } (вид: { $kind }). Можно прислать ещё, посмотреть или отправить.
executor-draft-unsupported = В проект можно добавить текст, фото или видео.
executor-draft-empty = Проект пока пуст: пришлите текст, фото или видео.
executor-draft-cleared = Проект очищен.
executor-draft-need-text = В проекте нет текста ответа: пришлите его сообщением.
executor-draft-not-open = Этот проект уже не открыт. Нажмите «Написать ответ» в карточке обращения.
executor-draft-preview = 👁 <b>Проект ответа по № { $case }</b> · { $kind } · обещанный срок: { $promised }
    Так ответ будет опубликован:
executor-draft-sent-toast = Проект отправлен.
executor-draft-sent = Проект ответа по № { $case } отправлен на согласование: { $role }.
executor-rework-same-kind = На доработке меняется только текст и вложения; вид ответа остаётся прежним.
executor-final-after-intermediate = Промежуточный ответ опубликован — теперь нужен окончательный.

## Промежуточный ответ: обещанный срок (К15, А7.8)
executor-promised-ask-limit = Промежуточный ответ: укажите дату окончательного ответа (ДД.ММ.ГГГГ) — не позже { $limit } ({ $clause }), или нажмите кнопку.
executor-promised-ask = Промежуточный ответ: укажите в тексте срок окончательного ответа или его условия ({ $clause }: «до 25.12.2026», «в течение 10 рабочих дней», «после схода снега») — я предложу их одной кнопкой; или пришлите дату отдельно (ДД.ММ.ГГГГ).
executor-promised-bad = Не понял дату. Напишите, например, { $example }.
executor-promised-set = Срок окончательного ответа: { $date }.
executor-promised-required = Для промежуточного ответа нужен срок или условия окончательного ответа.

## Соисполнители (К16, А7.10)
executor-part-intro = 📎 <b>Ваша часть ответа по № { $case }</b>
    <blockquote>{ $question }</blockquote>
    Пришлите текст (и при необходимости фото или видео), затем нажмите «Отправить часть». /cancel — выйти.
executor-part-added = Добавлено в вашу часть по № { $case }.
executor-part-preview = 👁 <b>Ваша часть по № { $case }</b>
executor-part-sent-toast = Часть отправлена.
executor-part-sent = Ваша часть по № { $case } отправлена ответственному исполнителю.
executor-parts-title = <b>Части соисполнителей</b> ({ $count } из { $total }):
executor-part-line = • { $department }, { $name }: <blockquote>{ $text }</blockquote>{ $media ->
        [0] {""}
        [one] (и { $media } вложение)
        [few] (и { $media } вложения)
       *[many] (и { $media } вложений)
    }
executor-part-missing = • { $department }, { $name }: часть ещё не получена.
executor-part-arrived = 📎 № { $case }: часть от { $department } ({ $name }):
    <blockquote>{ $text }</blockquote>
    { $missing ->
        [0] Все части получены — можно готовить общий ответ.
        [one] Ещё ждём { $missing } часть.
        [few] Ещё ждём { $missing } части.
       *[many] Ещё ждём { $missing } частей.
    }

## Доработка (К13, А7.6)
executor-rework-title = ↩️ <b>№ { $case }: проект возвращён на доработку</b>
executor-rework-comment = Замечание ({ $by }): <blockquote>{ $text }</blockquote>
executor-rework-earlier = Прежний вариант{ $media ->
        [0] {""}
        [one] (и { $media } вложение)
        [few] (и { $media } вложения)
       *[many] (и { $media } вложений)
    }: <blockquote>{ $text }</blockquote>

## Сроки (в рабочем времени)
executor-deadlines = <b>Сроки</b>
executor-deadline-line = • { $kind }: до { $due } ({ $clause })
executor-deadline-paused = (приостановлен)
executor-deadline-return = • вернуть не по компетенции можно до { $due } ({ $clause })

## Руководитель подразделения (К7, К11)
dept-btn-designate = 👤 Назначить: { $name }
dept-designated-toast = Исполнитель назначен.
dept-designated = Обращение № { $case }: исполнитель — { $name }
dept-approved-toast = Проект согласован.
dept-approved = Проект по № { $case } согласован и передан: { $role }.
review-dept-title = 📝 <b>№ { $case }: проект ответа на согласование</b> · { $kind }
    Вопрос: <blockquote>{ $question }</blockquote>
    Так ответ будет опубликован:
review-btn-approve = ✅ Согласовать
review-btn-return = ↩️ Вернуть с замечанием
review-comment-ask = № { $case }: напишите замечание для исполнителя одним сообщением. /cancel — передумали.
review-comment-need-text = Напишите замечание текстом или отправьте /cancel.
review-returned = Проект по № { $case } возвращён исполнителю на доработку.

## Продление срока (А7.9)
extension-btn-request = ⏳ Нужно продлить срок
extension-ask-reason = № { $case }: почему нужно продлить срок ({ $clause }: сбор дополнительных материалов или другие меры)? Напишите одним сообщением.
extension-request-sent = Просьба о продлении срока по № { $case } отправлена.
extension-requested = ⏳ <b>№ { $case }: просьба продлить срок</b>
    { $name }: <blockquote>{ $reason }</blockquote>
    Автору сообщат о продлении. Сейчас срок — до { $due }
extension-btn-days = { $days ->
        [one] +{ $days } день
        [few] +{ $days } дня
       *[many] +{ $days } дней
    }
extension-btn-decline = Отказать
extension-granted-toast = Срок продлён.
extension-granted = Срок по № { $case } продлён до { $until }; автору сообщат.
extension-declined = В продлении срока по № { $case } отказано.
executor-question-anonymous = <b>Вопрос автора</b>:
    <blockquote>{ $text }</blockquote>
dept-designate-not-executor = Назначить можно только действующего исполнителя этого подразделения.

## Повторное сообщение: принятые меры (К17, А7.11); срок или условия в тексте промежуточного ответа (А7.8)
executor-measures-ask = Обращение № { $case } — повторное: ответ должен сообщать о принятых мерах или ходе работы (К17, А7.11). Напишите одним сообщением, какие меры приняты, — они войдут в опубликованный ответ. Если меры уже описаны в тексте ответа, нажмите кнопку.
executor-btn-measures-in-text = ✅ Меры указаны в тексте — отправить
executor-measures-set = Принятые меры добавлены в ответ. Нажмите «Отправить на согласование».
executor-term-found = В тексте ответа указан срок: «{ $phrase }» (до { $date }). Принять его как срок окончательного ответа? Или пришлите другую дату (ДД.ММ.ГГГГ).
executor-btn-term-found = ✅ Срок: { $date }
executor-term-found-condition = В тексте ответа указано условие: «{ $condition }». Принять его как условие окончательного ответа (А7.8)? Или пришлите дату (ДД.ММ.ГГГГ).
executor-btn-condition = ✅ Условие: { $condition }
executor-condition-set = Условие окончательного ответа: «{ $condition }». Контрольный срок установит администратор.
