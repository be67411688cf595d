"""The case-file models, taken over from ``families`` (its migration 0011) with their tables as
they are: the tables were made by families migrations 0003 and 0004, so here only Django's
picture of the models is created. Their content types (and so their permissions) are relabelled
rather than made anew; audit entries written before the move keep ``families.<model>`` as their
object type, since the audit log is append-only."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = [
    "assessment", "casenote", "casenoteaddendum", "casereopening", "closurerequest", "consent",
    "familybudget", "goal", "goalupdate", "intervention", "interventiontype", "need",
    "progressscore", "reviewmeeting", "task",
]


def relabel_content_types(apps, schema_editor, old="families", new="casework"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=new).values_list("model", flat=True))
    ContentType.objects.filter(app_label=old, model__in=set(MODELS) - taken).update(app_label=new)


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, old="casework", new="families")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('families', '0011_casework_moved_to_its_own_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Assessment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('assessed_on', models.DateField()),
                        ('review_by', models.DateField(blank=True, null=True)),
                        ('summary', models.TextField(blank=True)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assessments', to='families.casefile')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reviews', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviewed_by', to='casework.assessment')),
                    ],
                    options={
                        'db_table': 'families_assessment',
                        'ordering': ['-assessed_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('contact_type', models.CharField(choices=[('home_visit', 'Home visit'), ('office', 'Office or centre visit'), ('school', 'Meeting at school'), ('phone', 'Phone call'), ('message', 'Text, email or letter'), ('partners', 'Meeting with partners'), ('other', 'Other')], max_length=10)),
                        ('occurred_at', models.DateTimeField()),
                        ('others_seen', models.CharField(blank=True, max_length=300, verbose_name='others seen')),
                        ('text', models.TextField()),
                        ('is_sensitive', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='families.casefile')),
                        ('people_seen', models.ManyToManyField(blank=True, related_name='+', to='families.person')),
                    ],
                    options={
                        'db_table': 'families_casenote',
                        'ordering': ['-occurred_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseNoteAddendum',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('note', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='addenda', to='casework.casenote')),
                    ],
                    options={
                        'verbose_name_plural': 'case note addenda',
                        'db_table': 'families_casenoteaddendum',
                        'ordering': ['created_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='CaseReopening',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.TextField()),
                        ('reopened_at', models.DateTimeField(auto_now_add=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reopenings', to='families.casefile')),
                        ('reopened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_casereopening',
                        'ordering': ['-reopened_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ClosureRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(choices=[('results_achieved', 'Results achieved'), ('disengaged', 'Family disengaged'), ('moved_away', 'Family moved away'), ('other', 'Other')], max_length=16)),
                        ('details', models.TextField(blank=True)),
                        ('status_before', models.CharField(choices=[('open', 'Open'), ('paused', 'Paused (consent withdrawn)'), ('closure_requested', 'Closure awaiting approval'), ('closed', 'Closed')], max_length=20)),
                        ('requested_at', models.DateTimeField(auto_now_add=True)),
                        ('decision', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Not approved')], default='pending', max_length=8)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decision_note', models.TextField(blank=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='closures', to='families.casefile')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_closurerequest',
                        'ordering': ['-requested_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('working_together', models.BooleanField(verbose_name='to working together with the key worker')),
                        ('share_information', models.BooleanField(verbose_name='to sharing information with named partners')),
                        ('named_partners', models.TextField(blank=True)),
                        ('given_on', models.DateField()),
                        ('method', models.CharField(choices=[('signed', 'Signed consent form'), ('in_person', 'Said so in person'), ('phone', 'By phone'), ('writing', 'In writing (letter or email)')], max_length=10)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('withdrawn_on', models.DateField(blank=True, null=True)),
                        ('withdrawal_reason', models.TextField(blank=True)),
                        ('withdrawal_recorded_at', models.DateTimeField(blank=True, null=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='consents', to='families.casefile')),
                        ('given_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='families.person')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('withdrawal_recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_consent',
                        'ordering': ['-given_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='FamilyBudget',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('allocation', models.DecimalField(decimal_places=2, max_digits=10)),
                        ('set_at', models.DateTimeField(auto_now=True)),
                        ('case_file', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='budget', to='families.casefile')),
                        ('set_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_familybudget',
                    },
                ),
                migrations.CreateModel(
                    name='Goal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('what', models.TextField()),
                        ('who', models.CharField(max_length=200)),
                        ('due_on', models.DateField()),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('achieved', 'Achieved'), ('not_achieved', 'Not achieved'), ('dropped', 'No longer needed')], default='not_started', max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='families.casefile')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_goal',
                        'ordering': ['due_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='InterventionType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('description', models.TextField(blank=True)),
                        ('is_active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_interventiontype',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Intervention',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provider', models.CharField(max_length=200)),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, null=True)),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('active', 'Under way'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], default='planned', max_length=10)),
                        ('cost', models.DecimalField(decimal_places=2, max_digits=10)),
                        ('paid_from_budget', models.BooleanField(default=False)),
                        ('approval', models.CharField(choices=[('not_needed', 'Within budget'), ('awaiting', "Awaiting a coordinator's approval"), ('approved', 'Approved beyond budget'), ('refused', 'Refused')], default='not_needed', max_length=10)),
                        ('approval_decided_at', models.DateTimeField(blank=True, null=True)),
                        ('approval_note', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('approval_decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interventions', to='families.casefile')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('goal', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='interventions', to='casework.goal')),
                        ('intervention_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='interventions', to='casework.interventiontype')),
                    ],
                    options={
                        'db_table': 'families_intervention',
                        'ordering': ['-starts_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Need',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('domain', models.CharField(choices=[('school', 'School'), ('crime_asb', 'Crime and anti-social behaviour'), ('work_money', 'Work and money'), ('health', 'Health'), ('mental_health', 'Mental health'), ('substance_misuse', 'Substance misuse'), ('domestic_abuse', 'Domestic abuse'), ('housing', 'Housing'), ('parenting', 'Parenting')], max_length=20)),
                        ('severity', models.PositiveSmallIntegerField(choices=[(1, 'Low'), (2, 'Medium'), (3, 'High'), (4, 'Critical')])),
                        ('detail', models.TextField(blank=True)),
                        ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to='casework.assessment')),
                        ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='families.person')),
                    ],
                    options={
                        'db_table': 'families_need',
                        'ordering': ['assessment', 'person_id', 'domain'],
                    },
                ),
                migrations.AddField(
                    model_name='goal',
                    name='need',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='goals', to='casework.need'),
                ),
                migrations.CreateModel(
                    name='ReviewMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('held_on', models.DateField()),
                        ('attendees', models.TextField()),
                        ('summary', models.TextField(blank=True)),
                        ('next_review_on', models.DateField(blank=True, null=True)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='families.casefile')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_reviewmeeting',
                        'ordering': ['-held_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ProgressScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('domain', models.CharField(choices=[('school', 'School'), ('crime_asb', 'Crime and anti-social behaviour'), ('work_money', 'Work and money'), ('health', 'Health'), ('mental_health', 'Mental health'), ('substance_misuse', 'Substance misuse'), ('domestic_abuse', 'Domestic abuse'), ('housing', 'Housing'), ('parenting', 'Parenting')], max_length=20)),
                        ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)])),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='casework.reviewmeeting')),
                    ],
                    options={
                        'db_table': 'families_progressscore',
                        'ordering': ['review', 'domain'],
                    },
                ),
                migrations.CreateModel(
                    name='GoalUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('achieved', 'Achieved'), ('not_achieved', 'Not achieved'), ('dropped', 'No longer needed')], max_length=12)),
                        ('due_on', models.DateField()),
                        ('note', models.TextField(blank=True)),
                        ('changed_at', models.DateTimeField(auto_now_add=True)),
                        ('changed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('goal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='casework.goal')),
                        ('review', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='goal_updates', to='casework.reviewmeeting')),
                    ],
                    options={
                        'db_table': 'families_goalupdate',
                        'ordering': ['changed_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Task',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200)),
                        ('due_on', models.DateField()),
                        ('done_on', models.DateField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('assignee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='casework_tasks', to=settings.AUTH_USER_MODEL)),
                        ('case_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tasks', to='families.casefile')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'families_task',
                        'ordering': ['due_on', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='assessment',
                    constraint=models.CheckConstraint(condition=models.Q(('review_by__isnull', True), ('review_by__gte', models.F('assessed_on')), _connector='OR'), name='assessment_review_after_assessment'),
                ),
                migrations.AddIndex(
                    model_name='casenote',
                    index=models.Index(fields=['case_file', '-occurred_at'], name='families_ca_case_fi_b99768_idx'),
                ),
                migrations.AddConstraint(
                    model_name='closurerequest',
                    constraint=models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('case_file',), name='closure_one_pending_per_case'),
                ),
                migrations.AddConstraint(
                    model_name='closurerequest',
                    constraint=models.CheckConstraint(condition=models.Q(('reason__in', ['results_achieved', 'disengaged', 'moved_away']), models.Q(('details', ''), _negated=True), _connector='OR'), name='closure_other_reason_explained'),
                ),
                migrations.AddConstraint(
                    model_name='consent',
                    constraint=models.CheckConstraint(condition=models.Q(('working_together', True), ('share_information', True), _connector='OR'), name='consent_has_a_purpose'),
                ),
                migrations.AddConstraint(
                    model_name='consent',
                    constraint=models.CheckConstraint(condition=models.Q(('share_information', False), models.Q(('named_partners', ''), _negated=True), _connector='OR'), name='consent_sharing_names_partners'),
                ),
                migrations.AddConstraint(
                    model_name='consent',
                    constraint=models.CheckConstraint(condition=models.Q(('withdrawn_on__isnull', True), ('withdrawn_on__gte', models.F('given_on')), _connector='OR'), name='consent_withdrawn_after_given'),
                ),
                migrations.AddConstraint(
                    model_name='familybudget',
                    constraint=models.CheckConstraint(condition=models.Q(('allocation__gte', 0)), name='family_budget_not_negative'),
                ),
                migrations.AddIndex(
                    model_name='intervention',
                    index=models.Index(condition=models.Q(('approval', 'awaiting')), fields=['approval'], name='intervention_awaiting'),
                ),
                migrations.AddConstraint(
                    model_name='intervention',
                    constraint=models.CheckConstraint(condition=models.Q(('cost__gte', 0)), name='intervention_cost_not_negative'),
                ),
                migrations.AddConstraint(
                    model_name='intervention',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='intervention_dates'),
                ),
                migrations.AddConstraint(
                    model_name='intervention',
                    constraint=models.CheckConstraint(condition=models.Q(('paid_from_budget', True), ('approval', 'not_needed'), _connector='OR'), name='intervention_approval_only_for_budget_spending'),
                ),
                migrations.AddConstraint(
                    model_name='need',
                    constraint=models.UniqueConstraint(fields=('assessment', 'person', 'domain'), name='need_once_per_subject_and_domain', nulls_distinct=False),
                ),
                migrations.AddConstraint(
                    model_name='progressscore',
                    constraint=models.UniqueConstraint(fields=('review', 'domain'), name='review_progress_score_once'),
                ),
                migrations.AddConstraint(
                    model_name='progressscore',
                    constraint=models.CheckConstraint(condition=models.Q(('score__gte', 1), ('score__lte', 10)), name='review_progress_score_1_to_10'),
                ),
                migrations.AddIndex(
                    model_name='task',
                    index=models.Index(condition=models.Q(('done_on__isnull', True)), fields=['case_file', 'due_on'], name='task_open_by_due'),
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
