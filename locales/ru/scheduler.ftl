# Планировщик и отчёты: напоминания, нарушения, срочные сообщения, всплески, ежемесячная сводка

## Длительности в рабочем времени
duration-minutes = { $m } мин
duration-hours = { $h } ч
duration-hours-minutes = { $h } ч { $m } мин
case-ref = № { $number } (/case_{ NUMBER($number, useGrouping: 0) })

## Шаги (виды сроков)
deadline-kind-route = распределение обращения
deadline-kind-answer = подготовка и публикация ответа
deadline-kind-draft_submission = представление проекта ответа
deadline-kind-dept_review = согласование проекта руководителем
deadline-kind-approval = согласование проекта ответа
deadline-kind-rework = доработка проекта ответа
deadline-kind-publish = размещение ответа
deadline-kind-co_executor_part = представление информации соисполнителем
deadline-kind-reassign = назначение нового исполнителя
deadline-kind-final_answer = окончательный ответ после промежуточного

## Напоминания
reminder-progress = ⏰ { $case }: { $step } — прошло { $pct }% срока ({ $clause }). Срок — { $due }, осталось { $left }.
reminder-left = ⏳ { $case }: { $step } — до срока осталось { $left } (срок — { $due }, { $clause }).
reminder-breach = ❗ { $case }: { $step } — срок истёк { $due } ({ $clause }). Нарушение зафиксировано и направлено руководителю.
escalation-breach = ❗ Нарушение срока ({ $clause }): { $case }, { $step }. Срок — { $due }, ответственный — { $person }
late-note = ⚠️ Отправлено с опозданием: в это время сервис не работал.
urgent-mark = 🚨 срочное

## Ежедневная сводка нарушений (управляющему делами / курирующему заместителю)
violations-digest-title = { $count ->
    [one] За { $date } зафиксировано { $count } новое нарушение сроков
    [few] За { $date } зафиксировано { $count } новых нарушения сроков
   *[many] За { $date } зафиксировано { $count } новых нарушений сроков
  } ({ $clause }):
violations-digest-line = • { $person }: { $case }, { $step } ({ $clause }), срок { $due }, просрочка { $overdue }
violations-digest-none = За { $date } новых нарушений сроков нет.

## Срочные сообщения и всплески (А17)
urgent-push = 🚨 Срочное обращение { $case } ({ $importance }){ $topic }
    { $text }
    { $link }
spike-dimension-topic = по теме
spike-dimension-location = по локации
spike-alert = 📈 Повышенная социальная активность { $dimension } «{ $value }»: { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[many] { $count } сообщений
  } за последний час при обычных { $baseline } в час (за 7 дней).
    Обращения: { $cases }

## Ежемесячная сводка (К22, А16)
report-title = Сводная информация за { $month }: { $org }
report-message = 📊 Сводная информация о работе с сообщениями из открытых источников за { $month }
    Поступило: { $received }, дан ответ: { $answered }, в срок: { $onTime }.
    Просрочено: { $overdue }. Среднее время в рабочих часах: первого ответа — { $firstResponse }, окончательного — { $finalAnswer }.
    К прошлому месяцу: поступило { $receivedDelta }, доля в срок { $onTimeDelta }
    { $violations ->
        [0] Нарушений сроков нет.
        [one] { $violations } нарушение сроков.
        [few] { $violations } нарушения сроков.
       *[many] { $violations } нарушений сроков.
    }
report-late-note = ⚠️ Сводка сформирована с опозданием: в назначенное время сервис не работал.
report-no-data = нет данных
report-usage = За какой месяц сводка? Выберите ниже или укажите: /report 2026-10
report-bad-month = Не понимаю месяц «{ $value }». Пример: /report 2026-10
report-not-allowed = Сводку могут запрашивать управляющий делами, администратор и глава.
report-file-caption = Сводка за { $month }
report-unrouted = Не распределено

## Листы и столбцы книги XLSX
sheet-headline = Итоги
sheet-departments = Подразделения
sheet-dynamics = Динамика
sheet-violations = Нарушения
col-indicator = Показатель
col-current = Текущий месяц
col-previous = Прошлый месяц
col-department = Подразделение
col-received = Поступило
col-answered = Дан ответ
col-on-time = В срок
col-on-time-pct = В срок, %
col-overdue = Просрочено
col-avg-first = Первый ответ, среднее (рабочее время, ч:мм)
col-median-first = Первый ответ, медиана (рабочее время, ч:мм)
col-avg-final = Окончательный ответ, среднее (рабочее время, ч:мм)
col-median-final = Окончательный ответ, медиана (рабочее время, ч:мм)
col-intermediate = Промежуточные ответы
col-reworks = Доработки
col-returns = Возвраты
col-repeats = Повторные
col-dimension = Разрез
col-value = Значение
col-delta = Изменение
col-delta-pct = Изменение, %
col-person = Сотрудник
col-violations = Нарушений
col-overdue-minutes = Просрочка (рабочее время, ч:мм)
col-clauses = Пункты
dimension-topic = Тема
dimension-location = Локация
dimension-source = Источник
value-unset = (не указано)
total-row = Итого
headline-on-time = Доля ответов в срок, %
headline-first = Среднее время первого ответа (рабочее время, ч:мм)
headline-final = Среднее время окончательного ответа (рабочее время, ч:мм)
chart-title = Обращения по подразделениям за { $month }
chart-legend-received = Поступило
chart-legend-on-time = Ответ в срок
chart-legend-overdue = Просрочено

## /today — сводка на сегодня для главы
today-title = 📋 На { $date }:
today-line-open = В работе: { $open }, из них срочных: { $urgent }.
today-line-due = Сроки сегодня: { $dueToday }, просрочено сейчас: { $overdue }.
today-line-received = Поступило сегодня: { $received }, новых нарушений: { $violations }.
today-spikes = Всплески активности: { $spikes }
today-not-allowed = Сводка /today — для главы администрации.
significance-suggest = 🚨 Обращение № { $case } похоже на значимое происшествие («{ $word }»): авария, ЧС или экологическая угроза (А17). Если это так — сообщите главе.
significance-btn = 🚨 Значимое происшествие — сообщить главе

report-source-max = MAX
report-source-max_comment = MAX (комментарии в канале)
