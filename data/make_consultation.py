#!/usr/bin/env python3
"""Generate the bundled synthetic demo consultation for "thematic".

The dataset is a fictional public consultation on a *digital clinical safety
strategy* for a national health service. Every answer is assembled from
hand-written sentence pools in this file; no real consultation responses and
no real persons were used. Names, e-mail addresses (example.org/.net/.com) and
telephone numbers (Ofcom drama ranges 07700 900xxx and 020 7946 0xxx) are
fictitious.

Usage (from the repository root):

    python3 data/make_consultation.py            # writes the CSV next to this script
    python3 data/make_consultation.py --stats    # also prints summary counts

Standard library only. The output is byte-for-byte deterministic for a given
version of this script (fixed seed, no dependence on hash ordering or time).
"""

import csv
import io
import os
import random
import re
import sys

SEED = 20240611
OUT_NAME = "digital_clinical_safety_consultation.csv"

QUESTIONS = [
    "Q1: What are the biggest risks to patient safety from digital technology in health and care?",
    "Q2: What should the strategy do to improve digital clinical safety?",
    "Q3: Is there anything else you would like to tell us?",
]

# (group name, voice letter, number of ordinary respondents)
# Patients and public additionally receive the campaign respondents.
GROUPS = [
    ("Clinicians", "C", 86),
    ("Patients and public", "P", 90),
    ("Health and care managers", "M", 44),
    ("Clinical safety officers", "S", 29),
    ("Suppliers and industry", "I", 31),
    ("Government and regulators", "G", 18),
]
VOICE_OF = {g: v for g, v, _ in GROUPS}

ALL = "CPMSIG"
PRO = "CMSIG"


def _parse(entries):
    """Entries are "VOICES|text"; '*' = everyone, '+' = all professional groups."""
    out = []
    for e in entries:
        voices, text = e.split("|", 1)
        voices = voices.replace("*", ALL).replace("+", PRO)
        out.append((voices, text))
    return out


def _parse_rec(entries):
    """Recommendation cores are "ACTORS|VOICES|verb phrase in base form"."""
    out = []
    for e in entries:
        actors, voices, vp = e.split("|", 2)
        voices = voices.replace("*", ALL).replace("+", PRO)
        out.append((actors, voices, vp))
    return out


# ---------------------------------------------------------------------------
# Theme content. Voices: C clinicians, P patients/public, M managers,
# S clinical safety officers, I suppliers/industry, G government/regulators.
# ---------------------------------------------------------------------------

THEMES = {}


def theme(key, risk, rec, recfull, short, story=()):
    THEMES[key] = {
        "risk": _parse(risk),
        "rec": _parse_rec(rec),
        "recfull": _parse(recfull),
        "short": _parse(short),
        "story": _parse(story),
    }


theme(
    "alerts",
    risk=[
        "C|We get so many pop-up alerts on the EPR that everyone just clicks through them, including the ones that matter.",
        "C|Alert fatigue is real. On a busy medical take I can override thirty drug interaction warnings in a shift and maybe one of them is relevant.",
        "C|Decision support that fires for every single patient simply trains staff to ignore it.",
        "C|The sepsis alert triggers on nearly every frail elderly patient with a raised heart rate, so nobody takes it seriously any more.",
        "C|Interruptive alerts break your train of thought at exactly the wrong moment, usually halfway through a prescription.",
        "C|Hard stops that cannot be overridden in an emergency are just as dangerous as the alerts everybody ignores.",
        "CS|Poorly tuned clinical decision support generates noise, and noise hides the signal.",
        "S|Alert configuration is often left at the supplier defaults, which were never designed for UK practice.",
        "S|Nobody owns the alert library locally, so rules get added after every incident and are never retired.",
        "CM|Every serious incident investigation seems to end with \"add an alert\", and the pile of alerts just keeps growing.",
        "P|My pharmacist told me the computer flags so many warnings that they have to ignore most of them, which worried me.",
        "I|Customers frequently ask us to switch on every available alert, which degrades the value of the ones that really matter.",
        "G|There is limited evidence on how decision support rules actually perform once they are deployed in the real world.",
        "C|The allergy warnings are so generic (\"patient may be allergic to a component of this product\") that they are useless.",
        "CS|Alert overrides are almost never audited, so no one knows which alerts are being ignored or why.",
    ],
    rec=[
        "T|+|review and retire low-value alerts at least once a year",
        "TI|+|measure override rates for every interruptive alert and act on what they show",
        "N|+|publish national guidance on alert design, including when a hard stop is justified",
        "NT|+|treat alert burden as a patient safety risk in its own right",
        "I|+|ship systems with a small, evidence-based alert set rather than everything switched on",
        "T|+|give a named clinical lead ownership of the decision support rule library",
        "N|*|fund research into which alerts actually change prescribing behaviour",
        "NT|*|cut the number of pop-up warnings so that the important ones stand out",
    ],
    recfull=[
        "C|Stop adding alerts as the default response to incidents. It doesn't work.",
        "C|It would help if alerts were tiered, so the genuinely dangerous ones looked different from the 'for information' ones.",
        "CS|Alerts should be context aware: don't warn me about a penicillin allergy for a patient who has tolerated amoxicillin five times.",
        "S|Any new alert should go through the same hazard assessment as any other change, including the hazard of adding to alert burden.",
        "P|Make sure the warnings that really matter can't just be clicked away.",
        "C|Fewer alerts, better alerts.",
        "M|Ensure that every trust has a governance group that owns decision support content and reviews override data.",
    ],
    short=[
        "C|Alert fatigue.",
        "C|Too many pop-ups.",
        "C|alert fatigue, alert fatigue, alert fatigue",
        "C|Clicking through warnings without reading them.",
        "P|Warnings being ignored",
        "S|Poorly configured decision support",
    ],
    story=[
        "C|Last winter a patient of ours received a double dose of enoxaparin. There was an alert. It was the fourth alert on that screen and the nurse, who is excellent, clicked straight past it. I don't blame her.",
        "C|I did an informal audit on our unit: 94% of drug interaction alerts were overridden, and in the sample I looked at the override was clinically reasonable almost every time.",
    ],
)

theme(
    "usability",
    risk=[
        "C|The systems are designed by people who have never done a ward round. Finding the last set of bloods takes eleven clicks.",
        "C|Drop-down menus where the wrong drug or the wrong dose sits one line away from the right one are an accident waiting to happen.",
        "C|Our EPR shows different information on the desktop and on the mobile devices, so you never quite know what you're looking at.",
        "C|Critical results get buried in an inbox alongside hundreds of routine 'for information' messages.",
        "C|Screens are cluttered, the fonts are tiny and key information like allergies is hidden behind a tab.",
        "C|Every system has a different login and the single sign-on we were promised never materialised.",
        "CMS|Poor usability is the root cause of a large share of the digital incidents we see, but it is usually recorded as 'user error'.",
        "S|Usability problems are rarely captured in hazard logs because they are seen as training issues rather than design flaws.",
        "M|Staff workarounds (printing lists, keeping paper notes, sharing logins) develop because the system doesn't fit the workflow, and those workarounds carry their own risks.",
        "I|Customisation requests from individual trusts make it very hard to maintain a consistent, tested user interface.",
        "P|The screens the doctors use look incredibly complicated. I watched a nurse struggle for ten minutes to find my medication list.",
        "P|My consultant spent most of the appointment looking at his screen rather than at me.",
        "G|Human factors expertise is largely absent from the procurement and configuration of health IT.",
        "C|Free-text boxes, structured fields and scanned documents all live in different places, so you never know if you've seen everything.",
        "C|Nothing is consistent. Trust A puts the allergy banner at the top, trust B hides it in a side panel, and I work in both.",
    ],
    rec=[
        "T|*|involve frontline staff in configuring and testing systems before go-live",
        "NI|+|adopt recognised human factors and usability standards for clinical software",
        "I|+|carry out usability testing with real clinicians in realistic conditions, and publish the results",
        "T|+|stop blaming 'user error' when the design of the system made the error likely",
        "N|+|create a national library of good design patterns for things like allergy display and medication lists",
        "TI|+|make it possible for staff to report usability problems with one click from inside the system",
        "R|+|expect human factors evidence as part of any safety assurance",
    ],
    recfull=[
        "C|Let clinicians who actually use the system have a say before it's bought, not after.",
        "C|It would help if the allergy banner was in the same place on every system in the country.",
        "+|Human factors should be a core discipline in every digital programme, not an optional extra.",
        "P|Please make the systems simpler so staff can look at the patient instead of the screen.",
        "I|Greater standardisation of common screens nationally would reduce risk and cost for everyone.",
        "S|Ensure that usability hazards are logged and assessed like any other hazard.",
        "C|Design for a tired junior doctor at 4am, not for a sales demo.",
    ],
    short=[
        "C|Clunky, badly designed systems.",
        "C|Too many clicks!",
        "C|Usability. The interfaces are awful.",
        "+|Poor user interface design.",
        "P|Complicated systems.",
        "C|systems that are not designed for the way we work",
    ],
    story=[
        "C|A colleague prescribed 10 mg instead of 1.0 mg because the decimal point was almost invisible on the order screen. The pharmacist caught it. Next time they might not.",
        "C|We have a system where \"discontinue\" and \"dispense\" sit next to each other in the same menu. I have raised this three times.",
    ],
)

theme(
    "downtime",
    risk=[
        "C|When the EPR goes down we lose access to everything: allergies, drug charts, results, even who is in which bed.",
        "C|Unplanned downtime happens far more than people admit, and the paper backup forms are out of date or missing.",
        "C|Newer staff have never worked on paper and genuinely do not know how to run a ward without the system.",
        "C|Reconciling what happened on paper during an outage with the electronic record afterwards is where doses get missed or duplicated.",
        "C|Our 'planned maintenance' is always scheduled for 2am, which is exactly when there are the fewest staff to cope.",
        "M|Business continuity plans look fine on paper but are rarely tested in a realistic way.",
        "M|A single network failure can take out every clinical system across a whole site.",
        "S|We depend on a chain of third-party hosting and network services, and nobody has a full picture of the single points of failure.",
        "I|Reliance on a single cloud region or data centre is a risk that is not always understood by customers.",
        "P|If the computers go down in A&E, what happens to me? Does anyone know what medicines I'm on?",
        "P|I've been in clinic when the system crashed and they just sent everyone home.",
        "G|The resilience of critical digital infrastructure is not consistently assessed across providers.",
        "CM|The more we depend on digital systems, the more catastrophic it is when they fail.",
    ],
    rec=[
        "T|*|run regular, realistic downtime drills, including at night and at weekends",
        "T|+|keep a read-only copy of essential patient information available during outages",
        "N|+|set minimum standards for the business continuity of critical clinical systems",
        "I|+|provide clear, tested downtime procedures and offline access as part of the contract",
        "T|*|train every new starter in paper-based fallback procedures",
        "N|+|publish data on major outages so the whole system can learn from them",
    ],
    recfull=[
        "C|Have a proper downtime box on every ward with up-to-date forms, and check it monthly.",
        "M|Ensure that business continuity is tested, not just documented.",
        "C|Provide read-only downtime viewers so we can at least see allergies and current medications when the main system falls over.",
        "I|Contracts should specify availability targets that reflect the clinical criticality of the system.",
        "P|There needs to be a paper plan B that actually works.",
        "S|Recovery after an outage is a hazard in itself and should be planned, with clear responsibility for back-entering data.",
    ],
    short=[
        "C|Downtime.",
        "C|System outages with no plan B.",
        "M|Loss of systems during outages.",
        "P|computers crashing",
        "C|The EPR going down.",
        "C|IT failures",
    ],
    story=[
        "C|When our pathology IT provider was hit by a cyber attack we had almost no blood results for nearly a fortnight. We were phoning results through and writing them on whiteboards. It was frightening.",
        "C|We had a nine-hour outage on a Saturday. By the time the system came back, three patients had missed time-critical Parkinson's medication.",
        "M|Our last unplanned outage lasted six hours. The business continuity plan referred to a fax machine we no longer own.",
    ],
)

theme(
    "time",
    risk=[
        "C|Doctors and nurses now spend more time typing than talking to patients.",
        "C|The documentation burden has exploded. I spend around 40% of my day on the computer.",
        "C|When we're short-staffed the digital tasks get done badly or not at all, and that is where mistakes creep in.",
        "C|There is no protected time to learn new systems; we're expected to pick them up on the job during a busy shift.",
        "C|Double documentation (once on paper, once in the system, because the system doesn't do what we need) wastes hours every week.",
        "C|Logging in and out of multiple systems dozens of times per shift is a huge, invisible waste of time.",
        "M|Clinical engagement in digital projects is limited because clinicians simply can't be released from rotas.",
        "S|The clinical safety role is usually squeezed into spare time that doesn't exist.",
        "P|The nurses seem so busy with the computer that they don't have time for us.",
        "G|Workload pressure is a recognised contributor to digital error but is rarely addressed in safety assessments.",
        "C|Every new national data collection adds another mandatory field, and nobody ever takes one away.",
    ],
    rec=[
        "NT|+|fund protected time for clinicians to take part in digital design and safety work",
        "T|+|measure how long clinical staff spend on the system and treat excessive time as a safety issue",
        "NT|*|cut duplicate documentation by agreeing what actually needs to be recorded",
        "I|+|reduce the number of clicks needed for common tasks, and prove it",
        "T|+|release staff from clinical duties to attend proper training on new systems",
    ],
    recfull=[
        "C|Give us time. Time to learn the system, time to report problems, time to think.",
        "C|Stop asking us to record the same thing in three places.",
        "C|Ambient voice technology could help with documentation, but only if it is safe and properly evaluated.",
        "M|Job plans should include sessions for digital work, in the same way they include teaching or audit.",
        "P|Let the staff spend more time with patients and less with keyboards.",
    ],
    short=[
        "C|Time. We don't have any.",
        "C|Documentation burden",
        "C|Lack of time",
        "C|no time to train",
        "C|Workload.",
    ],
    story=[
        "C|I counted last week: 63 logins on a single night shift.",
        "C|On my last set of nights I spent the first hour of every shift just getting the right systems open on a shared computer.",
    ],
)

theme(
    "access",
    risk=[
        "P|The app shows me test results before anyone has explained them, which can be very frightening.",
        "P|I saw my scan result on the app on a Friday evening with no one to talk to until Monday.",
        "P|The NHS App, the hospital portal and my GP's system all show different information, and I don't know which one is right.",
        "P|I can't see my hospital letters on the app, only my GP record, so I'm never sure what's been said about me.",
        "P|Booking through the app is great when it works, but when it doesn't there is no one to ask.",
        "P|Too many apps. Every hospital and clinic wants me to download something different.",
        "P|If I spot an error in my record there is no easy way to get it corrected.",
        "C|Patients reading their notes in real time is positive, but it changes how we document and we haven't had any guidance.",
        "C|Patients are using symptom checkers and health apps that have had no clinical assessment at all.",
        "M|Patient-facing apps are procured locally with very variable levels of clinical safety assurance.",
        "I|The proliferation of patient-facing apps without common standards creates confusion for patients and risk for providers.",
        "G|Consumer health apps sit in a regulatory grey area.",
        "P|Online forms at my surgery ask the same questions every time and then someone rings me and asks them again.",
    ],
    rec=[
        "N|*|make the NHS App the single front door, with all hospital and GP information in one place",
        "T|*|give patients an easy way to flag and correct errors in their own record",
        "N|*|set clear rules on when sensitive results are released to patients, so nobody gets bad news alone on a Friday night",
        "NR|*|make sure any health app recommended by the NHS has been assessed for clinical safety",
        "T|*|offer a named person patients can contact when the app or portal goes wrong",
    ],
    recfull=[
        "P|One app please, not five.",
        "P|It would help if results came with a plain English explanation.",
        "P|Let me see my hospital letters, my test results and my medication list in one place.",
        "P|Ensure that patients can correct mistakes in their records quickly and easily.",
        "C|Provide guidance for clinicians on writing notes that patients will read.",
        "P|Please give patients a way to report problems with the app that is actually looked at by someone.",
    ],
    short=[
        "P|apps that don't talk to each other",
        "P|Not being able to see my own records.",
        "P|Too many different apps.",
        "P|Getting results with no explanation.",
        "P|The NHS app",
    ],
    story=[
        "P|My daughter found out her biopsy result from the app while she was at work. She was on her own. She rang me in floods of tears, and nobody from the hospital called her until the following week.",
        "P|I use the app to order my repeat prescription. Twice it has said the order went through when the surgery never received it, and I ran out of my blood pressure tablets.",
    ],
)

theme(
    "exclusion",
    risk=[
        "P|Not everyone has a smartphone or the internet. My mother is 88 and she's being left behind.",
        "P|When everything goes online, people like me who struggle with technology get pushed to the back of the queue.",
        "P|The GP surgery now insists on online forms for appointments and I simply can't use them.",
        "P|People with learning disabilities, people who don't speak English and people who are homeless are being shut out.",
        "P|I'm partially sighted and most of these websites and apps don't work with my screen reader.",
        "P|Broadband and mobile signal where I live are dreadful, so video appointments keep dropping out.",
        "P|I can't afford the mobile data for video calls.",
        "C|Digital-first pathways risk widening health inequalities for exactly the patients who need us most.",
        "C|Older patients are being told to \"go online\" and are simply giving up.",
        "M|We see much lower uptake of digital services in our most deprived neighbourhoods.",
        "G|Digital exclusion is a health inequalities issue and must be monitored as such.",
        "P|Being told to \"download the app\" is no help when you can't read English well.",
    ],
    rec=[
        "N|*|guarantee a non-digital route for every service, so nobody is forced online",
        "NT|*|fund digital inclusion support, such as help desks and volunteers, in GP practices and hospitals",
        "NI|*|make sure every patient-facing system meets accessibility standards and works with screen readers",
        "N|*|monitor who is not using digital services and act on it",
        "T|*|offer phone and face-to-face alternatives that are just as quick as the online route",
    ],
    recfull=[
        "P|Keep the phone lines open!",
        "P|Don't leave older people behind.",
        "P|Always have a human option.",
        "P|Ensure that people without smartphones get the same service as everyone else.",
        "C|Any digital pathway should have an equality impact assessment before it goes live.",
        "P|Provide free training in libraries and community centres for people who want to learn.",
        "G|Digital inclusion should be a measured outcome of the strategy, broken down by age, deprivation, disability and ethnicity.",
    ],
    short=[
        "P|Digital exclusion.",
        "P|Leaving older people behind",
        "P|not everyone has a smartphone",
        "P|People who can't use computers.",
        "P|Forcing everyone online",
    ],
    story=[
        "P|My neighbour is 79, lives alone and doesn't have the internet. She waited three weeks for a blood test because she couldn't use the online booking.",
        "P|I am deaf and the only way to contact my surgery used to be by text. Now it's an online form that times out before I can finish it.",
    ],
)

theme(
    "privacy",
    risk=[
        "P|Who can see my records? I don't want my employer or an insurance company getting hold of them.",
        "P|I'm worried about my data being sold to private companies.",
        "P|I never agreed to my records being shared with all these different organisations.",
        "P|My mental health history shows up for everyone from the physio to the dentist. Is that really necessary?",
        "P|Data breaches happen all the time and health data is the most personal data there is.",
        "P|There's no way for me to see who has looked at my record.",
        "C|Confusion about information governance rules means clinicians sometimes don't share information they should.",
        "C|Fear of breaching data protection stops people sharing information even when it's clearly in the patient's interest.",
        "G|Public trust in health data sharing is fragile and easily lost.",
        "I|Information governance requirements vary from trust to trust, which delays the deployment of safer systems.",
        "M|Data protection impact assessments are done differently in every organisation.",
        "P|Big tech companies getting access to NHS data through the back door.",
    ],
    rec=[
        "N|*|let patients see an audit trail of who has accessed their record",
        "N|*|be completely transparent about who data is shared with and why",
        "NT|+|explain clearly to clinicians when they can and should share information for direct care",
        "N|*|give patients a simple way to opt out of secondary uses without affecting their care",
        "N|*|make sure no patient data is sold or used commercially without explicit consent",
    ],
    recfull=[
        "P|Ask permission before sharing my data.",
        "P|It would help if I could see who has accessed my record and when.",
        "P|Keep our data in the NHS and out of the hands of big tech companies.",
        "G|Ensure that data protection is designed in from the start rather than added at the end.",
        "C|Publish simple national guidance on sharing for direct care so that people stop hiding behind GDPR.",
        "P|Tell people in plain English what happens to their data.",
    ],
    short=[
        "P|Privacy.",
        "P|my data being sold",
        "P|Data security and privacy",
        "P|Who sees my records",
        "P|Confidentiality",
    ],
    story=[
        "P|After my miscarriage, the midwife at a completely different hospital already knew about it before I told her. I know it was meant to be helpful but it felt like a violation.",
    ],
)

theme(
    "records",
    risk=[
        "P|My record says I'm allergic to penicillin. I'm not. I've told them three times.",
        "P|There are diagnoses on my GP record that I've never had.",
        "P|Letters about me get sent to the wrong address, or letters about other people get sent to me.",
        "P|Information gets lost between the hospital and the GP, so my medication changes never get updated.",
        "P|My husband's record got mixed up with another man with the same name and date of birth.",
        "C|Wrong-patient errors, where notes or orders are entered on the wrong record, are more common than people realise.",
        "C|Copy-and-paste and templated notes mean outdated information gets carried forward for months.",
        "C|Coding errors on discharge summaries follow the patient around for years.",
        "C|Once an error is in the record it is almost impossible to get it removed everywhere it has spread to.",
        "M|Duplicate patient records are a persistent problem after migrations between systems.",
        "S|Data migration during EPR implementations is one of the highest-risk activities we undertake, and it is routinely underestimated.",
        "I|Poor data quality at source undermines every downstream system, including decision support and AI.",
    ],
    rec=[
        "T|*|make it easy for patients to check and correct their own records",
        "T|+|audit records regularly for wrong-patient and copy-forward errors",
        "NT|+|treat data migration as a high-risk clinical activity with proper clinical safety oversight",
        "N|*|create a single process for correcting an error across every system it has spread to",
        "I|+|build in safeguards against entering notes on the wrong patient",
    ],
    recfull=[
        "P|Let me correct my own record.",
        "P|Check the details before you send letters!",
        "C|Limit copy-forward functionality, or at least flag copied text clearly.",
        "S|Ensure that data migration is covered by a clinical safety case with proper reconciliation.",
        "P|It would help if there was a simple form to report a mistake in my notes and actually get a reply.",
    ],
    short=[
        "P|Mistakes in my records",
        "P|Wrong information on file.",
        "C|Wrong patient errors.",
        "P|errors in records",
        "P|Inaccurate records",
    ],
    story=[
        "P|For two years my record said I had a heart condition that belonged to someone else. I only found out when I was refused travel insurance.",
        "C|We discovered after our migration that several hundred patients' allergy records had not come across. Nobody noticed for a month.",
        "P|My late father's discharge letter listed a medicine he had stopped years before, and the care home kept giving it to him.",
    ],
)

theme(
    "funding",
    risk=[
        "M|Digital is chronically underfunded compared with the ambitions set for it.",
        "M|Capital money arrives in short bursts at the end of the financial year, which forces rushed procurements.",
        "M|There is never revenue funding for the ongoing costs: licences, support, upgrades and the people to run the systems.",
        "M|Trusts in deficit will always cut digital and safety roles first.",
        "M|We are running clinical systems on infrastructure that is more than ten years old because there is no money to replace it.",
        "C|The hardware is ancient. We have computers that take fifteen minutes to boot up.",
        "C|There aren't enough computers on the ward, so people queue or use someone else's login.",
        "S|Clinical safety is never explicitly funded, so it competes with everything else.",
        "I|Stop-start funding makes it very difficult for suppliers, especially SMEs, to plan and invest.",
        "G|Funding allocations do not currently reflect the cost of maintaining safe systems over their whole life.",
        "M|The wifi on half our wards drops out regularly, and no amount of strategy fixes that without investment.",
    ],
    rec=[
        "N|+|provide recurrent revenue funding for digital, not just one-off capital",
        "N|+|ring-fence funding for clinical safety and the people who do it",
        "N|+|give multi-year funding settlements so trusts can plan properly",
        "N|*|fund the replacement of outdated devices and infrastructure",
        "N|+|require every digital business case to include the full lifetime cost of running the system safely",
    ],
    recfull=[
        "M|Put money behind it. A strategy without funding is a wish list.",
        "M|Stop the end-of-year capital scramble.",
        "C|Buy more computers. Seriously.",
        "M|Ensure that funding follows the strategy, with a clear line for safety.",
        "I|Multi-year funding would allow suppliers and trusts to work as genuine partners.",
        "M|Pound for pound, investing in the basics (devices, wifi, networks) would do more for safety than any shiny new AI tool.",
    ],
    short=[
        "M|Funding.",
        "M|Lack of investment",
        "C|No money.",
        "M|Underfunding of digital",
        "M|Money, as always.",
    ],
    story=[
        "M|Last March we were given \u00a32.3m of capital with six weeks to spend it. We bought what we could get delivered, not what we needed.",
    ],
)

theme(
    "training",
    risk=[
        "M|Training on new systems is often a one-off e-learning module that bears no relation to the real workflow.",
        "M|Bank and agency staff often start shifts with no training on our systems at all.",
        "M|Digital literacy across the workforce is very variable, and we don't measure it.",
        "C|I had two hours of training on a system I use for eight hours a day.",
        "C|Locums turn up and are given someone else's login because there's no time to get them set up.",
        "C|Nobody teaches you the safety-critical bits, for example what happens to an order when you transfer a patient.",
        "S|Users often don't understand the limitations of the system, which leads to misplaced trust in it.",
        "P|Staff don't seem to know how to use the systems properly.",
        "I|Trusts often cut training budgets during implementation, and the consequences are then blamed on the product.",
        "G|There is no consistent expectation of digital competence in professional education.",
    ],
    rec=[
        "NT|+|make digital and clinical safety training a mandatory part of induction for all staff",
        "T|+|give bank, agency and locum staff proper access and training before they start",
        "N|+|include digital clinical safety in undergraduate and professional curricula",
        "T|*|provide refresher training whenever systems are upgraded, not just at go-live",
        "N|+|develop a national digital literacy framework for health and care staff",
        "I|+|provide training materials that reflect the actual configured system, not a generic demo",
    ],
    recfull=[
        "M|Training, training, training.",
        "M|Ensure that all staff, including temporary staff, are trained before they touch a live system.",
        "C|Provide short, practical, scenario-based training rather than endless e-learning.",
        "M|Super-users on every ward make a massive difference and should be funded.",
        "P|Train the staff properly.",
        "G|Professional regulators should set clear expectations on digital competence.",
    ],
    short=[
        "M|Training",
        "M|Lack of training",
        "C|poor training",
        "M|Digital literacy of staff",
    ],
    story=[
        "M|When we went live we trained 6,000 staff in eight weeks. It was not enough and everybody knew it.",
    ],
)

theme(
    "workforce",
    risk=[
        "S|There are nowhere near enough trained Clinical Safety Officers to cover the number of systems in use.",
        "M|We can't recruit or retain informatics staff when the private sector pays half as much again.",
        "M|Our clinical informatics team is two people for a trust with 9,000 staff.",
        "S|Many CSOs do the role on top of a full clinical job with no time for it in their job plan.",
        "M|The digital workforce is not recognised as a profession and has no clear career path.",
        "C|The few clinicians with an interest in informatics are burning out.",
        "G|Workforce shortages in clinical informatics are a systemic risk to safe digital transformation.",
        "I|Customers often lack the capacity to carry out their own clinical safety work, which delays deployments.",
        "S|When an experienced CSO leaves, the knowledge of why decisions were made leaves with them.",
    ],
    rec=[
        "N|+|create a funded training pipeline and career framework for clinical informaticians and CSOs",
        "T|+|appoint enough clinical safety officers to match the number and risk of systems in use",
        "N|+|recognise clinical informatics as a profession, with proper pay and progression",
        "N|+|set a minimum number of CSO sessions per organisation based on size and complexity",
        "N|+|fund shared clinical safety teams at ICS level for smaller providers",
    ],
    recfull=[
        "S|We need more CSOs, properly trained, with protected time.",
        "M|Ensure that every organisation has access to clinical safety expertise, even if it's shared.",
        "M|Provide a clear career path for digital and informatics staff.",
        "S|It would help if the CSO role was recognised by the professional regulators.",
    ],
    short=[
        "S|Not enough CSOs.",
        "M|Workforce.",
        "M|Staff shortages in digital teams",
        "S|capacity",
    ],
)

theme(
    "procurement",
    risk=[
        "M|Procurement decisions are driven by price and timescales, with clinical safety considered late if at all.",
        "M|Frameworks make it quick to buy, but they don't guarantee a system is safe or usable.",
        "M|Clinical staff are rarely involved in procurement until after the contract is signed.",
        "S|We are often asked to sign off safety after the procurement decision has already been made.",
        "S|Contracts rarely include clear clinical safety obligations for the supplier.",
        "C|The people who choose the system are never the ones who have to use it at 3am.",
        "I|Procurement processes are lengthy and inconsistent, which favours large incumbents over safer, more innovative products.",
        "I|Tender requirements often ask for everything, including features that increase risk.",
        "G|Each organisation procuring independently leads to duplication of effort and variation in safety standards.",
    ],
    rec=[
        "N|+|build clinical safety and usability criteria into national procurement frameworks",
        "T|+|involve frontline clinicians and a CSO from the very start of every procurement",
        "N|+|publish standard contract clauses on clinical safety, incident reporting and data access",
        "N|+|share assurance evidence nationally so each trust isn't repeating the same checks",
        "T|*|stop buying systems that haven't been tested by the people who will use them",
    ],
    recfull=[
        "M|Ensure that clinical safety is a scored criterion in procurement, not a tick box.",
        "M|National frameworks should do the heavy lifting on assurance so local teams can focus on configuration and deployment.",
        "I|A single national assurance process, accepted by all trusts, would cut months off deployments.",
        "C|Let the people who use the system help choose it.",
        "S|No contract should be signed until the CSO has seen the supplier's safety case.",
    ],
    short=[
        "M|Procurement.",
        "M|Poor procurement",
        "C|bad procurement decisions",
        "M|Buying the cheapest system",
    ],
    story=[
        "M|We spent 18 months procuring a new theatres system and the clinical safety work started a fortnight before go-live.",
    ],
)

theme(
    "standards",
    risk=[
        "S|Compliance with DCB0129 and DCB0160 is patchy, and often amounts to a hazard log that nobody reads.",
        "S|Too many safety cases are written to get a system over the line and are never revisited.",
        "S|Hazard logs are treated as a one-off deliverable rather than a living document.",
        "S|Many organisations simply don't know which of their systems fall within scope of DCB0160.",
        "S|Boards have very little visibility of clinical safety risk from digital systems.",
        "S|The standards say little about AI, cloud software that is updated weekly, or systems built in-house.",
        "S|There is no effective enforcement, so compliance depends on the goodwill of individuals.",
        "I|The standards are open to interpretation and every trust interprets them differently.",
        "I|We can produce a DCB0129 safety case, but trusts then ask for different formats, extra evidence and their own templates.",
        "M|Many managers don't understand what DCB0160 actually requires of them.",
        "G|Compliance with the clinical risk management standards is not consistently assessed.",
        "S|Spreadsheets, Access databases and low-code apps built by clinicians sit completely outside any safety process.",
    ],
    rec=[
        "N|+|update DCB0129 and DCB0160 so they are fit for AI, cloud and continuously updated software",
        "N|+|publish templates and worked examples for hazard logs and safety cases",
        "NR|+|make compliance with the clinical risk management standards something that is actually checked",
        "T|+|keep an up-to-date register of every clinical system and its safety status",
        "T|+|report clinical safety risks from digital systems to the board at least twice a year",
        "N|+|clarify which systems are in scope of the standards, with practical examples",
    ],
    recfull=[
        "S|Make DCB0160 mean something: audit it, report on it, and make boards accountable for it.",
        "S|Hazard logs should be living documents, reviewed at every major release and after every relevant incident.",
        "I|Provide a single national template for safety case reports that every trust accepts.",
        "I|Clearer guidance on DCB0129 expectations for SaaS products that are updated frequently would be very welcome.",
        "S|Ensure that in-house developments, spreadsheets and low-code apps are covered by the standards too.",
        "S|It would help if there was a national register of DCB0129 safety cases that deploying organisations could access.",
    ],
    short=[
        "S|DCB0160 compliance.",
        "S|Hazard logs gathering dust.",
        "S|Weak enforcement of DCB0129/0160",
        "I|Inconsistent interpretation of the standards.",
    ],
    story=[
        "S|I recently asked a department for the safety case for a system they had used for six years. They didn't know what a safety case was.",
    ],
)

theme(
    "incidents",
    risk=[
        "S|Digital incidents are under-reported because staff assume the IT problem is \"just the system\".",
        "S|Incident reporting systems don't have good categories for health IT, so the digital contribution gets lost.",
        "S|Learning from digital incidents is rarely shared between organisations using the same system.",
        "C|Reporting an incident takes twenty minutes and you never hear anything back, so people stop bothering.",
        "C|There's still a blame culture. If you make an error on the system it's your fault, never the design's.",
        "M|We struggle to get suppliers to engage with incident investigations.",
        "G|There is no national picture of harm associated with health IT.",
        "G|Reporting routes to regulators for software-related harm are poorly understood and under-used.",
        "I|Suppliers often find out about incidents involving their products months later, if at all.",
        "P|When something goes wrong, patients are the last to know.",
    ],
    rec=[
        "N|+|create a national system for reporting and learning from digital clinical safety incidents",
        "TI|+|share learning from digital incidents with every organisation that uses the same product",
        "N|+|add proper health IT categories to the national incident reporting system",
        "T|*|give feedback to every person who reports a digital incident",
        "I|+|notify all affected customers promptly when a safety issue is found",
        "NR|+|publish regular reports on digital harm and near misses",
    ],
    recfull=[
        "C|Make it quick and easy to report a problem, and tell us what happened afterwards.",
        "S|Ensure that suppliers are contractually obliged to take part in incident investigations.",
        "C|Stop blaming individual staff when the system design is at fault.",
        "G|A just culture approach must apply to digital incidents as much as to any other.",
        "S|It would help if there was a national 'safety notice' route for health IT, similar to the alerts we get for medical devices.",
        "P|Be honest with patients when a computer error has affected their care.",
    ],
    short=[
        "S|Under-reporting of incidents",
        "C|Blame culture",
        "S|No learning from incidents",
        "C|incident reporting is a waste of time",
    ],
    story=[
        "S|We found the same drug-mapping error at our trust that another trust had found and fixed a year earlier. Nobody told us.",
    ],
)

theme(
    "interop",
    risk=[
        "C|Systems that don't talk to each other mean we are constantly re-keying information, and every re-keying is a chance for error.",
        "C|I can't see what medications a patient was given in the ambulance or at the hospital down the road.",
        "C|Discharge summaries arrive at the GP days late, or as a scanned PDF that nobody reads.",
        "C|Information gets lost at every handover between primary, secondary and social care.",
        "P|I have to tell my story again and again because each part of the NHS can't see what the others know.",
        "P|Why can't my GP see what happened at the hospital?",
        "I|Proprietary interfaces, and some large suppliers charging for data access, are holding back interoperability.",
        "I|FHIR profiles and standards are still inconsistently implemented, so every integration is bespoke.",
        "M|Integration projects take years and cost a fortune, and each one is slightly different.",
        "G|Lack of interoperability is a persistent source of avoidable harm.",
        "S|Interfaces are a major source of hazards: mismatched units, truncated fields and messages that fail silently.",
        "P|The care home, the GP and the hospital all have different lists of my dad's medicines.",
    ],
    rec=[
        "N|+|mandate open, common data standards for every system bought with public money",
        "I|+|stop charging to access patient data through interfaces",
        "N|+|enforce the use of national standards such as FHIR and SNOMED CT",
        "NT|*|make shared care records available across primary, community, social and secondary care",
        "T|+|monitor interfaces for failed or delayed messages, with clear ownership",
        "N|*|make sure every clinician can see a patient's current medicines, allergies and recent results, wherever they are treated",
    ],
    recfull=[
        "P|Make the systems talk to each other!",
        "C|One patient, one record.",
        "I|Consistent, nationally mandated interoperability standards would reduce risk and cost for everyone.",
        "S|Ensure that interfaces are included in safety cases, including what happens when messages fail.",
        "P|It would help if my GP, the hospital and the pharmacy all saw the same information.",
        "C|Stop letting suppliers hold our data hostage.",
    ],
    short=[
        "C|Systems not talking to each other.",
        "P|Lack of joined up records",
        "I|Interoperability.",
        "C|interoperability (or lack of it)",
        "P|Nothing is joined up",
    ],
    story=[
        "C|A patient was transferred to us from a neighbouring trust on a Friday night on an insulin regimen we couldn't see. The two systems were \"integrated\" but the medication list didn't come across.",
    ],
)

theme(
    "ai",
    risk=[
        "G|AI tools are being deployed faster than the evidence and the regulation can keep up.",
        "G|It is not always clear whether a piece of software is a medical device, and therefore whether it needs UKCA or CE marking.",
        "G|Generative AI tools used for documentation can produce plausible but incorrect content.",
        "G|The performance of AI models can drift over time as populations and practice change, and few organisations monitor for this.",
        "C|AI scribes are being rolled out before anyone has worked out who is responsible when they get something wrong.",
        "C|I worry that junior staff will trust the AI output without checking it.",
        "P|I don't want a computer deciding my diagnosis without a real doctor checking it.",
        "P|AI could be biased against people like me, and nobody would ever know.",
        "P|I'd like to be told if AI is being used in my care.",
        "S|Existing hazard analysis methods struggle with machine learning systems whose behaviour cannot be fully specified.",
        "I|The pathway to regulatory approval for AI is unclear and expensive, particularly for smaller companies.",
        "M|We are approached by AI vendors every week, and we don't have the expertise to judge their claims.",
        "G|Staff are already using general-purpose chatbots for clinical tasks without any organisational oversight.",
    ],
    rec=[
        "R|+|set out clear rules on when AI and other software counts as a medical device",
        "NR|+|require ongoing monitoring of the real-world performance of AI tools",
        "N|*|make sure a qualified clinician remains responsible for any decision supported by AI",
        "R|*|publish a register of approved AI tools used in the NHS",
        "I|+|be transparent about the data used to train their AI and how it performs in different groups of patients",
        "N|+|provide guidance for trusts on evaluating and deploying AI safely, including ambient scribes",
        "T|*|tell patients when AI is used in their care",
    ],
    recfull=[
        "P|Keep a human in charge.",
        "P|Ensure that a real doctor always checks what the AI says.",
        "G|Ensure that the regulation of software as a medical device is proportionate but robust, with clear post-market surveillance.",
        "G|Clarify accountability between the developer, the deploying organisation and the clinician when AI contributes to harm.",
        "I|A sandbox approach, where innovators can work with regulators early, would help get safe AI into practice faster.",
        "C|Don't roll out AI scribes until we know they are safe.",
        "S|It would help if there was national guidance on hazard analysis for AI and machine learning.",
    ],
    short=[
        "P|AI",
        "P|Computers making decisions",
        "G|Unregulated AI",
        "C|AI hype",
        "P|artificial intelligence replacing doctors",
    ],
    story=[
        "C|I tried one of the AI scribes in clinic. It was impressive, but it recorded that the patient had \"denied chest pain\" when we had never discussed chest pain at all.",
    ],
)

theme(
    "suppliers",
    risk=[
        "S|Suppliers can push updates that change clinical behaviour without adequately warning customers.",
        "S|Supplier safety cases are often generic and don't reflect how the product is actually configured locally.",
        "M|Contracts leave trusts carrying the clinical risk while suppliers carry very little.",
        "M|When something goes wrong, the supplier and the trust blame each other and nothing changes.",
        "C|We report the same bug to the supplier for years and it never gets fixed.",
        "I|Assurance requirements are duplicated: DTAC, DSPT, DCB0129, local questionnaires and procurement checks all ask for the same evidence in different formats.",
        "I|The assurance burden is disproportionate for smaller suppliers and for low-risk products.",
        "I|Liability is unclear when a product is configured by the customer in ways the supplier never intended.",
        "I|Suppliers are expected to answer hundreds of slightly different security and safety questionnaires.",
        "G|The division of accountability between manufacturer, deployer and user is not well defined for software.",
    ],
    rec=[
        "N|+|create a single national assurance process that every organisation accepts",
        "I|+|publish release notes that clearly identify changes with clinical safety implications",
        "N|+|set out clearly where liability sits between the supplier, the deploying organisation and the user",
        "NT|*|hold suppliers to account for fixing known safety issues within agreed timescales",
        "N|+|make assurance proportionate to risk, so low-risk products don't face the same burden as high-risk ones",
        "I|+|share their hazard logs with customers as a matter of course",
    ],
    recfull=[
        "M|Suppliers need to be held to account. At the moment there are no consequences.",
        "I|Assess once, use many times.",
        "I|A clear, published split of responsibilities between the manufacturer and the deploying organisation would remove a lot of friction.",
        "S|Ensure that suppliers notify customers of safety-relevant changes before they go live, not afterwards.",
        "C|Make the suppliers fix the bugs we report.",
        "G|Accountability should follow control: whoever controls a risk should be accountable for it.",
    ],
    short=[
        "I|Duplicated assurance requirements.",
        "M|Supplier accountability",
        "I|Liability.",
        "C|suppliers who don't listen",
    ],
    story=[
        "M|A supplier update changed the default units on an infusion calculator overnight. We found out from a nurse on a ward, not from the supplier.",
        "I|Last year we completed 41 separate assurance questionnaires for the same product, for 41 customers. Most asked the same questions in a different order.",
    ],
)

theme(
    "cyber",
    risk=[
        "M|A ransomware attack can shut down clinical systems for weeks, as we have already seen.",
        "M|We are running unsupported operating systems on medical devices that can't be patched.",
        "M|Cyber security teams are tiny and stretched across thousands of devices.",
        "C|Staff share passwords because logging in is so slow, which is a security risk in itself.",
        "P|Hackers getting hold of medical records is a huge worry.",
        "I|Third-party and supply chain risk is increasing and few customers assess it properly.",
        "G|Cyber attacks on the health sector are increasing in frequency and sophistication.",
        "S|Cyber incidents are clinical safety incidents, but the two disciplines rarely talk to each other.",
    ],
    rec=[
        "N|*|treat cyber security as a patient safety issue, not just an IT issue",
        "N|+|fund the replacement of unsupported systems and devices",
        "T|+|plan and rehearse for a cyber attack that takes out all systems for several weeks",
        "I|+|meet a common, national cyber security standard",
        "T|+|bring cyber security and clinical safety teams together",
    ],
    recfull=[
        "M|Ensure that every trust has a tested plan for a long-term loss of systems after a cyber attack.",
        "P|Keep our records safe from hackers.",
        "C|Provide quick, secure login, like tap-and-go cards, so people stop sharing passwords.",
        "G|Cyber resilience should be assessed alongside clinical safety in regulatory inspections.",
    ],
    short=[
        "M|Cyber security.",
        "P|Hacking",
        "M|ransomware",
        "P|cyber attacks",
    ],
    story=[
        "M|After a ransomware attack on a neighbouring trust we received their diverted patients for two weeks. Our own systems nearly buckled under the load.",
    ],
)

theme(
    "eprescribing",
    risk=[
        "C|E-prescribing has removed the illegible handwriting errors but introduced new ones, like selecting the wrong formulation from a drop-down.",
        "C|Dose-range checking is poorly configured for children and for patients with renal impairment.",
        "C|Medicines reconciliation at admission and discharge is still largely manual and error-prone.",
        "C|Community pharmacy can't see the hospital's discharge medication changes.",
        "C|Electronic prescribing of insulin, anticoagulants and controlled drugs is especially risky with the current systems.",
        "P|My prescriptions are regularly wrong after a hospital stay; the GP and hospital lists never match.",
        "P|I was given the wrong strength of tablets because of a computer mix-up at the pharmacy.",
        "S|Drug dictionary mapping errors can affect thousands of prescriptions before they are spotted.",
    ],
    rec=[
        "N|+|set national standards for dose-range checking, especially for children",
        "T|+|make pharmacists part of every electronic prescribing implementation and upgrade",
        "N|*|give community pharmacy access to hospital discharge information",
        "T|+|audit electronic prescribing errors regularly and share the results",
    ],
    recfull=[
        "C|Make the medication list the same everywhere.",
        "C|Ensure that paediatric prescribing is tested by paediatric clinicians before go-live.",
        "P|It would help if my GP and the hospital had the same list of my medicines.",
        "C|Provide a national, maintained drug dictionary that all systems must use.",
    ],
    short=[
        "C|Prescribing errors",
        "C|Medication errors from e-prescribing",
        "P|Wrong medicines",
    ],
    story=[
        "C|We had a patient receive a tenfold overdose of oral morphine because the e-prescribing system defaulted to mg when the prescriber was thinking in ml.",
    ],
)

# Further material, mostly for the organisational voices and for patients.


def more(key, kind, entries):
    if kind == "rec":
        THEMES[key][kind] += _parse_rec(entries)
    else:
        THEMES[key][kind] += _parse(entries)


more("ai", "risk", [
    "G|Adaptive algorithms that change after deployment challenge the traditional model of pre-market approval.",
    "G|There is a risk that responsibility for AI outputs defaults to the individual clinician, who has the least ability to understand or control the tool.",
    "G|Evidence standards for AI products vary widely, and published performance figures are often based on retrospective data that does not reflect real-world use.",
    "G|Bias in training data may lead to poorer performance for groups already experiencing health inequalities.",
    "G|Some AI products are marketed as 'decision support' precisely to avoid being classified as medical devices.",
    "G|Local organisations are being asked to make complex judgements about AI products without access to independent evaluation.",
    "I|Regulatory uncertainty is causing some companies to delay launching AI products in the UK.",
    "I|Post-market surveillance expectations for AI are unclear, and customers rarely share outcome data with us.",
    "S|We are being asked to assure AI products with no guidance and no specialist expertise.",
    "P|I'm worried AI will be used to cut corners and save money.",
    "P|Nobody has ever told me how these AI systems are tested.",
    "P|Chatbots giving medical advice could tell someone with a serious illness to stay at home.",
    "C|Nobody has told us which of the tools we use have any AI in them.",
    "M|Boards are under pressure to adopt AI for productivity reasons before the safety evidence is in.",
])
more("ai", "recfull", [
    "G|Government should consider whether the current legislative framework for software as a medical device is sufficient for adaptive AI.",
    "G|Patients should be told, in accessible language, when AI has been used in decisions about their care.",
    "I|Provide clear guidance on when DCB0129 applies to products that are already UKCA marked.",
    "P|No computer should be making decisions about my care on its own.",
])
more("suppliers", "risk", [
    "G|Where software is supplied as a service and updated continuously, it is often unclear who is accountable for the safety of each version.",
    "G|Contractual arrangements frequently shift risk onto providers without a corresponding ability to control it.",
    "G|Providers are accountable for the safety of care but frequently lack the information they need to assess the systems they use.",
    "I|Contracts increasingly include unlimited liability clauses that no responsible supplier can accept.",
    "I|Customers sometimes decline safety-related updates because of the local testing burden, leaving known issues unfixed.",
    "I|When incidents happen, suppliers are often excluded from the investigation until the conclusions have been drawn.",
    "S|Suppliers' hazard logs are often not shared, or are shared only under restrictive terms.",
    "M|We have very little leverage over large suppliers once a contract is signed.",
])
more("suppliers", "recfull", [
    "I|We would welcome a single, nationally recognised assurance 'passport' for products.",
    "I|Liability should be proportionate and reflect the degree of control each party has.",
    "G|The strategy should set out a clear division of responsibilities between the MHRA, CQC, NHS England and other bodies.",
])
more("suppliers", "story", [
    "I|One of our customers declined a safety update for over a year because their local testing process could not accommodate it.",
])
more("incidents", "risk", [
    "G|Software-related incidents are likely to be significantly under-represented in national reporting data.",
    "G|Learning from investigations involving digital systems is not consistently disseminated beyond the organisation concerned.",
    "G|Manufacturers' obligations to report adverse incidents involving software are not well understood by deploying organisations.",
    "S|We rarely get feedback from suppliers on whether reported issues have been fixed.",
    "S|Near misses involving digital systems are almost never reported, yet they are where the learning is.",
    "C|The incident form doesn't even have an option for 'IT system' that makes sense.",
    "P|If a computer mistake harms me, who do I complain to?",
])
more("incidents", "recfull", [
    "G|We recommend that regulators share intelligence about digital safety concerns through a single, coordinated route.",
    "G|We would support mandatory reporting of serious incidents in which software is a contributory factor.",
    "G|The strategy should commit to publishing an annual report on digital clinical safety.",
    "I|Ensure that suppliers are involved in incident investigations from the outset.",
])
more("standards", "risk", [
    "G|The relationship between the clinical risk management standards, medical device regulation and data protection law is confusing for providers and manufacturers alike.",
    "G|The current standards were written before the widespread adoption of cloud services and AI and need to be refreshed.",
    "G|There is no single body with oversight of whether the standards are being met.",
    "I|Expectations for CSO qualifications and independence differ between customers.",
    "I|Smaller companies struggle to afford a qualified CSO, which acts as a barrier to entry rather than a safety measure.",
    "I|The interaction between DCB0129 and medical device regulation is poorly explained, so many products are effectively assessed twice.",
    "S|DCB0160 is written with big system deployments in mind and is hard to apply proportionately to small apps.",
    "S|Safety cases are often written by someone who has never seen the system in use.",
    "S|Clinical risk management often starts after the key design decisions have already been made.",
    "M|Clinical safety is often seen as a hurdle to get past rather than a way of managing risk.",
])
more("standards", "recfull", [
    "G|Inspection frameworks should include how providers govern their digital systems, including clinical risk management.",
    "I|Industry would welcome a clear, published roadmap for changes to national standards.",
])
more("standards", "story", [
    "S|I once had three days to review the safety case for a system that was going live on the Monday. The decision had been taken long before I was involved.",
    "S|Our hazard log for the EPR has over 400 entries. I'm not convinced anyone other than me has ever read it.",
])
more("cyber", "risk", [
    "G|A significant cyber incident at a single supplier can affect many providers at the same time.",
    "G|Legacy systems that can no longer be patched represent a growing and well-understood risk.",
    "I|Cyber assurance requirements overlap heavily with DSPT and DTAC, yet each has to be completed separately.",
    "M|Cyber security investment is always competing with frontline pressures.",
    "P|What happens if hackers change the information in my record?",
])
more("privacy", "risk", [
    "G|Secondary use of data for research and AI development needs to be transparent if public confidence is to be maintained.",
    "G|Patients are often unaware of how their data flows between organisations.",
    "I|Data sharing agreements take months to put in place, even for direct care.",
    "P|I don't trust that my information is kept private when it's shared with so many systems.",
    "P|I worry about the government being able to see everything about my health.",
    "P|I read that private companies are running NHS data platforms. Who actually controls my information?",
])
more("exclusion", "risk", [
    "G|Groups with the greatest health needs are often the least able to use digital services.",
    "P|Older people feel embarrassed to admit they can't use the app, so they just go without.",
    "P|My dad can't use a computer and now can't get a GP appointment without my help.",
    "P|Forcing people online is discrimination against the elderly and disabled.",
    "P|Not everyone can afford a smartphone. Some of us are choosing between heating and data.",
])
more("funding", "risk", [
    "G|The costs of safety assurance are rarely visible in business cases and are therefore underfunded.",
    "I|Pilots get funded but scale-up rarely does, so proven tools stall.",
    "M|Every new national requirement comes with a deadline but no money attached.",
])
more("access", "risk", [
    "G|Patient-facing tools can shift clinical responsibility onto patients without this being made explicit.",
    "I|There is no single route for a patient-facing app to be recognised as safe by the NHS.",
    "M|Patients are increasingly contacting us because of confusing information in the app.",
    "P|The app keeps logging me out and I have to go through the whole ID check again.",
    "P|I'm never sure whether a message from the NHS is real or a scam.",
    "P|I can see my GP record but half of it is in abbreviations I don't understand.",
    "P|When my consultation was moved online I had no idea whether the doctor could even see the photo I uploaded.",
])
more("training", "risk", [
    "G|Curricula for health professionals have not kept pace with the use of digital tools in practice.",
    "M|Releasing staff for training means paying for cover we can't afford.",
    "S|Training is often treated as the control for every hazard, which is the weakest control there is.",
    "C|Bank staff are the most at risk because they move between areas and never get trained.",
    "P|The receptionist at my surgery couldn't work out how to book me in on the new system.",
])
more("interop", "risk", [
    "G|Fragmented records mean decisions are often taken on incomplete information.",
    "I|Trusts often lack the in-house technical capacity to implement and test integrations safely.",
    "I|National APIs change with little notice, which breaks integrations and creates risk.",
    "I|Access to test environments for the major EPRs is slow and expensive.",
    "M|Social care providers are often completely left out of data sharing.",
    "C|We still fax things. Actually fax them.",
    "P|I have to carry a folder of paper letters to every appointment because nobody can see what the last specialist said.",
    "P|Every time I'm admitted I'm asked for a list of my medicines because the hospital can't see my GP record.",
])
more("interop", "recfull", [
    "I|We recommend publishing national test data sets and sandboxes for integration testing.",
])
more("interop", "story", [
    "I|We recently waited nine months for access to a trust's test environment, during which time clinicians carried on with a manual workaround that we knew carried risk.",
])
more("procurement", "risk", [
    "I|Short procurement timescales leave little room for proper clinical safety work before contract award.",
    "I|Framework lots are sometimes drawn so narrowly that they exclude safer, more modern products.",
    "M|We are often locked into contracts that make it almost impossible to change supplier.",
    "M|Procurement rules make it hard to involve clinical staff in evaluation without delaying the process.",
    "S|CSOs are rarely given sight of contracts, so we don't know what the supplier has actually committed to.",
])
more("records", "risk", [
    "I|Legacy data migrated into our systems is often incomplete or inconsistently coded.",
    "S|Data quality issues after a migration can take months to surface.",
    "C|The problem list in primary care is often years out of date.",
    "P|When I moved GP practice, half of my history didn't come with me.",
    "P|My son's allergy was recorded at one hospital and not at the other.",
    "P|The hospital had my old address and my appointment letters went missing for months.",
])
more("records", "story", [
    "P|Last year I was sent a letter for a colonoscopy I didn't need. It turned out it was meant for someone else with a similar name. I only found out because I phoned to ask why.",
    "P|My mother was discharged from hospital on a Friday. The GP didn't get the letter for two weeks, and in that time she was taking both her old and her new blood pressure tablets.",
])
more("usability", "risk", [
    "I|Trusts ask for usability but procurement scoring rarely rewards it.",
    "S|Human factors expertise is almost non-existent in provider organisations.",
    "C|Hidden scroll bars mean you can miss half the drug chart.",
    "C|Results and observations sit in separate modules, so you have to combine them in your head.",
])
more("usability", "story", [
    "P|When my husband was in hospital the nurses were wonderful, but they kept saying \"the computer won't let me\" whenever we asked for anything.",
])
more("downtime", "risk", [
    "M|The move to cloud hosting has changed our business continuity risks and we haven't fully caught up.",
    "S|Downtime procedures are rarely included in the hazard log, even though outages are among the most likely hazards.",
    "C|Network black spots on the wards mean the handheld devices drop out mid-task.",
    "P|My blood test results were lost when the hospital's computers went down.",
])
more("downtime", "story", [
    "C|We moved to electronic observations and everyone loved it, until the devices started running out of battery halfway through the night shift.",
])
more("workforce", "risk", [
    "S|CSO training is a two-day course and then you're on your own.",
    "S|There is no professional body or network that formally supports CSOs.",
    "M|Our best informatics staff keep getting poached by suppliers and consultancies.",
    "M|There are simply not enough clinical informaticians to support every project.",
])
more("workforce", "story", [
    "M|We once had to delay a go-live by three months because the only CSO in the organisation went on long-term sick leave.",
])
more("time", "risk", [
    "M|Clinicians tell us they spend more time on documentation since we went digital, not less.",
    "C|I now spend more time at the computer than at the bedside, and I'm a nurse.",
])
more("time", "story", [
    "M|We tried to get two nurses released for two days a week to support our EPR optimisation. It took eight months to agree and then winter pressures cancelled it.",
])
more("alerts", "risk", [
    "C|The alerts fire on the wrong screen at the wrong time, usually after you've already made the decision.",
    "S|Changes to decision support rules are often made without any clinical risk assessment.",
])
more("eprescribing", "risk", [
    "C|Transfers between wards cause prescriptions to be suspended or duplicated.",
    "P|Electronic prescriptions go to the wrong pharmacy all the time.",
])
more("ai", "story", [
    "P|I tried the online symptom checker for my son's rash and it told me to go to A&E. Six hours later we were told it was eczema.",
])
more("alerts", "story", [
    "C|A critical potassium result sat unacknowledged in a consultant's inbox for four days because he was on leave. There was no way to redirect it.",
])
more("training", "story", [
    "C|On my first night as an FY1 I couldn't access the prescribing system for three hours because my login hadn't been set up. I had to ask the registrar to prescribe everything.",
])
more("suppliers", "story", [
    "S|After a major upgrade we discovered that a change to the way results were acknowledged meant abnormal results were dropping off clinicians' worklists. The supplier's release notes didn't mention it.",
])

# Which themes each group tends to write about (weights).
GROUP_THEMES = {
    "C": {"alerts": 6, "usability": 6, "downtime": 5, "time": 6, "eprescribing": 3, "records": 3,
          "interop": 3, "training": 2, "incidents": 2, "ai": 2, "workforce": 1, "funding": 2,
          "cyber": 1, "access": 1, "suppliers": 1, "exclusion": 1},
    "P": {"access": 6, "exclusion": 6, "privacy": 6, "records": 6, "interop": 3, "ai": 3,
          "cyber": 1, "eprescribing": 2, "downtime": 1, "incidents": 1, "training": 1, "usability": 1, "time": 1},
    "M": {"funding": 6, "training": 6, "workforce": 5, "procurement": 5, "downtime": 3, "cyber": 3,
          "standards": 2, "suppliers": 2, "interop": 2, "time": 2, "usability": 1, "records": 1,
          "access": 1, "exclusion": 1, "ai": 1, "alerts": 1},
    "S": {"standards": 7, "incidents": 6, "workforce": 3, "suppliers": 3, "ai": 2, "training": 2,
          "alerts": 2, "usability": 2, "downtime": 1, "procurement": 2, "records": 1, "interop": 1, "cyber": 1},
    "I": {"standards": 4, "interop": 6, "suppliers": 6, "procurement": 3, "ai": 3, "cyber": 2,
          "funding": 1, "usability": 1, "records": 1, "access": 1, "privacy": 1, "workforce": 1},
    "G": {"ai": 7, "suppliers": 4, "incidents": 4, "standards": 3, "cyber": 2, "privacy": 2,
          "interop": 1, "exclusion": 1, "funding": 1, "access": 1, "training": 1},
}

# ---------------------------------------------------------------------------
# Voice material: who the respondent is, openers, closers, general comments.
# ---------------------------------------------------------------------------

CONTEXT = {
    "C": [
        "I'm a consultant in emergency medicine.",
        "I have been a ward sister for fourteen years.",
        "As a GP in a semi-rural practice, I see the problems from both sides.",
        "I'm a junior doctor and I rotate between three trusts with three different EPRs.",
        "Community pharmacist here.",
        "I work as a critical care nurse.",
        "I'm a paramedic and I deal with at least four different systems in a single shift.",
        "I'm a mental health nurse working in the community.",
        "Physiotherapist, acute trust, 11 years.",
        "I'm a midwife.",
        "I am a consultant anaesthetist and the clinical lead for our theatres system.",
        "I'm a paediatric registrar.",
        "District nurse here, covering a large rural patch.",
        "I work as a hospital pharmacist.",
        "I'm a salaried GP.",
        "Speaking as an advanced nurse practitioner in urgent care,",
        "I am a healthcare assistant on an elderly care ward.",
        "I'm a consultant physician and a part-time CCIO.",
        "I'm an occupational therapist in a community team.",
        "Radiographer, 20 years in the NHS.",
    ],
    "P": [
        "I have type 1 diabetes and use the NHS App a lot.",
        "I'm 81 and I don't have a smartphone.",
        "I care for my husband, who has Parkinson's.",
        "As the parent of a child with complex needs, I deal with lots of different services.",
        "I am registered blind and use a screen reader.",
        "I live in a rural area with very poor broadband.",
        "I've had three hospital admissions in the last two years.",
        "English is my second language.",
        "I work in IT myself, so I'm not anti-technology.",
        "I'm a retired nurse.",
        "I have a long-term mental health condition.",
        "I'm a carer for my mum, who has dementia.",
        "I'm a member of my GP practice's patient participation group.",
        "I have multiple long-term conditions and see several specialists.",
        "I'm a student.",
        "I volunteer at a community digital skills drop-in.",
        "I'm recovering from cancer treatment.",
        "",
    ],
    "M": [
        "As Chief Nursing Information Officer for an acute trust,",
        "I manage a GP federation of 14 practices.",
        "I'm the director of digital at a community and mental health trust.",
        "Speaking as an operational manager in a district general hospital,",
        "I lead the EPR programme at a large teaching hospital.",
        "I'm a practice manager.",
        "As the registered manager of a nursing home,",
        "I'm the digital lead for an integrated care board.",
        "I am a divisional director of operations.",
        "I head up the informatics team in a small specialist trust.",
        "As head of IT for a community health provider,",
        "I'm a deputy chief nurse with responsibility for our digital programme.",
    ],
    "S": [
        "I am a Clinical Safety Officer for a large acute trust.",
        "As the lead CSO for an integrated care system,",
        "I'm a part-time CSO: one session a week on top of my clinical job.",
        "I've worked as a CSO for a supplier and now work in a provider organisation.",
        "Our CSO team is two people covering more than 300 systems.",
        "I'm a nurse by background and have been a CSO for six years.",
        "I'm a GP and the CSO for our primary care network.",
        "I am a pharmacist and the CSO for our electronic prescribing system.",
        "As a CSO in an ambulance trust,",
        "I'm a consultant and have been our trust's CSO since 2017.",
    ],
    "I": [
        "We are a UK-based SME supplying e-observations software to around 20 trusts.",
        "As a global EPR vendor with a significant UK presence,",
        "We develop a UKCA-marked AI triage tool.",
        "This response is submitted on behalf of a trade association representing health technology companies.",
        "We are a start-up building a remote monitoring platform.",
        "Our company provides pharmacy and medicines management systems.",
        "We supply patient engagement apps to NHS and independent providers.",
        "We are a consultancy that supports suppliers with clinical safety and regulatory compliance.",
        "We provide diagnostic imaging software, including AI-based decision support.",
        "We are an integration engine vendor.",
    ],
    "G": [
        "This response is submitted on behalf of a national regulatory body.",
        "We are an arm's-length body with a role in the safety of health and care services.",
        "As a professional regulator,",
        "This is the response of a local authority public health team.",
        "We are a national patient safety organisation.",
        "This response is from a government department with an interest in data and technology policy.",
        "We are a health and care ombudsman service.",
    ],
}

OPENERS = {
    "P": ["Thank you for asking patients.", "I hope someone actually reads these.", "Where do I start.",
          "Good that this is being looked at.", "Just a few thoughts.", "Thanks for the opportunity."],
    "C": ["Thanks for the chance to comment.", "Short version:", "Bluntly:", "Where to begin.",
          "Good to see this finally being taken seriously.", "A few points from the front line."],
    "M": ["Thank you for the opportunity to respond.", "We welcome the focus on clinical safety.",
          "Overall we support the direction of the strategy.", "A few points from an operational perspective."],
    "S": ["I welcome this consultation.", "Thank you for consulting on this important area.",
          "It is good to see clinical safety recognised at national level."],
    "I": ["We welcome this consultation and the focus on clinical safety.",
          "We are pleased to respond to this consultation.",
          "We strongly support the ambition of the strategy."],
    "G": ["We welcome the publication of this consultation.",
          "We are pleased to respond and support the overall aims of the strategy.",
          "We welcome the opportunity to comment."],
}

CLOSERS = {
    "P": ["Thank you.", "Please actually listen this time.", "I hope this helps.", "Thanks for reading.",
          "That's all.", "Good luck with it."],
    "C": ["Happy to discuss further.", "Thanks.", "Rant over.", "Please listen to the front line.",
          "Good luck."],
    "M": ["Happy to discuss further.", "We would welcome further engagement on implementation.",
          "Thank you."],
    "S": ["Happy to help with the next stage of this work.", "Thank you.",
          "I would be glad to contribute further."],
    "I": ["We would welcome the opportunity to contribute to the next stage of this work.",
          "We are happy to share further evidence on request.",
          "We look forward to continued engagement."],
    "G": ["We would be pleased to work with partners on implementation.",
          "We are happy to discuss any aspect of this response.",
          "We look forward to seeing the final strategy."],
}

GENERAL = _parse([
    "P|I hope this consultation actually changes something.",
    "P|Technology can be wonderful but it must never replace human contact.",
    "P|The NHS is brilliant and the staff do their best with what they have.",
    "P|Thank you for asking for the public's views.",
    "P|Please remember that not everyone is online.",
    "P|I'm generally positive about digital health. The app has made managing my condition much easier.",
    "P|The consultation document was long and full of jargon. What is DCB0160? Most people won't know.",
    "P|I only found out about this consultation by chance. It should have been better publicised.",
    "P|I do worry that this is really about cutting costs rather than improving care.",
    "P|My experience of digital services has mostly been good, but when things go wrong there's no one to help.",
    "P|Please include carers. We are often the ones managing the appointments, the apps and the medicines.",
    "P|Video appointments have been a godsend for me, as I can't easily travel.",
    "C|Overall I support the direction of travel, but delivery is everything.",
    "C|We've had strategies before. What will be different this time?",
    "C|Please don't let this become another tick-box exercise.",
    "C|Our EPR has improved safety in lots of ways (legible prescriptions, results available everywhere), so this isn't all bad news.",
    "C|Please involve frontline staff, not just CCIOs and managers.",
    "C|Nurses, AHPs and pharmacists need a voice in this, not just doctors.",
    "C|Social care and community services always seem to be an afterthought.",
    "C|Morale is low and every new system feels like something being done to us rather than with us.",
    "M|The strategy needs to align with existing national plans rather than adding yet another set of requirements.",
    "M|We would welcome clear, realistic timescales.",
    "M|Please consider the cumulative burden of national digital initiatives on provider organisations.",
    "M|Primary care and social care have very different resources from acute trusts, and the strategy should recognise that.",
    "S|The CSO community is enthusiastic and would welcome the chance to help shape implementation.",
    "S|We would like to see the CSO network formalised and supported nationally.",
    "S|Clinical safety is a team sport; it cannot rest on one CSO.",
    "S|The strategy should be explicit that clinical safety is an organisational responsibility, not an individual one.",
    "I|Industry is keen to work in partnership with the NHS on this agenda.",
    "I|We would welcome early engagement on any changes to the standards.",
    "I|SMEs bring innovation but need a proportionate route to market.",
    "I|Predictability matters: frequent changes to national requirements add cost without adding safety.",
    "G|We would encourage alignment with existing regulatory frameworks to avoid duplication.",
    "G|The strategy should include clear measures of success and report against them publicly.",
    "G|We would welcome clarity on how the strategy will apply across the four nations.",
    "G|Patient and public involvement should continue throughout implementation, not stop at consultation.",
    "P|I'm not against technology, I just want it to work.",
    "P|Please remember that behind every record is a person.",
    "P|Thank you to all the NHS staff who have looked after me.",
    "P|I'm worried that staff are being blamed for problems that are really down to the computers.",
    "P|The whole thing feels like it was designed for the NHS, not for patients.",
    "P|The NHS App is actually really good for ordering prescriptions, credit where it's due.",
    "P|I hope the final strategy is written in plain English.",
    "C|Thank you for asking frontline staff.",
    "C|Some of the best digital changes we've had were small fixes suggested by ward staff.",
    "C|Don't forget community and mental health services; they have very different systems and needs.",
    "C|I'd love to be involved in this work if there's an opportunity.",
    "C|The NHS has some brilliant clinical informatics people. Use them.",
    "M|Implementation support, not just policy, is what providers need.",
    "M|We would welcome a single place to find all national digital safety guidance.",
    "M|Please avoid another round of short-term funding bids.",
    "S|Thank you for recognising the CSO role in the consultation.",
    "S|Clinical safety should be embedded in digital programmes from the outset, not bolted on at the end.",
    "S|Please don't make this another standard that only the largest trusts can afford to comply with.",
    "I|We would welcome the opportunity to share anonymised data from our products to support learning.",
    "I|Clear, stable requirements are the single most helpful thing the NHS can provide to industry.",
    "I|We support greater transparency, provided it is applied consistently across all suppliers.",
    "G|We note that many of the issues raised apply equally to social care and independent providers.",
    "G|The strategy would benefit from a clear implementation plan with named owners.",
    "G|We would encourage the strategy to make explicit reference to health inequalities.",
])

TONE = {
    "angry": {
        "P": ["It's a shambles.", "Absolutely disgraceful.", "I am sick and tired of being told to \"use the app\".",
              "Nobody listens.", "Honestly, it makes me so angry.", "It's not good enough."],
        "C": ["Nobody in charge has the faintest idea what it's like on the shop floor.", "I'm fed up.",
              "It is frankly dangerous.", "This has been raised again and again and nothing happens.",
              "We are sick of it.", "It's a joke."],
        "M": ["We are tired of being handed unfunded mandates.", "This is not sustainable."],
        "S": ["This has been ignored for far too long.", "Frankly, this is a disgrace."],
        "I": ["The current situation is not sustainable."],
        "G": ["The current position is not acceptable."],
    },
    "supportive": {
        "P": ["I think the NHS is heading in the right direction.", "Digital has made my life a lot easier.",
              "Overall I'm positive about it."],
        "C": ["I'm actually optimistic about what digital can do if it's done properly.",
              "This strategy is a good start."],
        "M": ["We strongly support the ambitions in the strategy.", "This is a welcome and timely strategy."],
        "S": ["This strategy is a welcome step forward."],
        "I": ["We are supportive of the direction set out in the strategy."],
        "G": ["We strongly support the aims of the strategy."],
    },
}
HESITANT = {
    "P": ["I'm not sure if this is the right place for this, but ", "I don't know much about technology but ",
          "This might be a silly point but ", "Not sure if this is relevant but "],
    "C": ["Not sure if this is in scope, but ", "I may be wrong, but "],
    "M": ["I appreciate this may be outside the scope, but "],
    "S": ["This may be slightly off-topic, but "],
    "I": [], "G": [],
}
CONNECTORS = {
    "lay": ["Also, ", "And ", "Another thing: ", "On top of that, ", "Plus, ", "Also "],
    "pro": ["In addition, ", "Furthermore, ", "Separately, ", "Also, ", "More broadly, "],
}
SWAPS = [
    ("a huge", "a massive"), ("frightening", "scary"), ("almost impossible", "near impossible"),
    ("don't", "do not"), ("can't", "cannot"), ("doesn't", "does not"), ("It is ", "It's "), ("There is ", "There's "),
    ("I'm ", "I am "), ("isn't", "is not"), ("we're", "we are"), ("it's", "it is"), ("haven't", "have not"),
    ("simply ", ""), ("a lot", "lots"), ("worried", "concerned"), ("dreadful", "terrible"), ("often ", "frequently "),
    ("rarely ", "seldom "), ("huge", "big"), ("every single", "every"),
]

GENERAL_SHORT = _parse([
    "*|No.",
    "*|Good luck.",
    "P|Just please listen.",
    "*|Thanks",
    "P|That's all.",
    "C|Please listen to staff.",
    "P|Keep it simple.",
    "P|Don't forget the elderly",
    "C|Fix the basics first.",
    "+|Looking forward to the final strategy.",
    "P|thank you for asking",
])

NON_ANSWERS = ["N/A", "n/a", "No comment", "-", "nothing to add", "None", "No comment.", "Nothing further.",
               "NA", "no", "."]
NON_ANSWERS_LATER = ["See previous answer", "See previous answer", "see above", "As above", "See answer to Q1", "as above."]

# Recommendation lead-ins, by actor and by whether the respondent is a patient.
LEADS = {
    ("N", "pro"): ["NHS England should", "The strategy should", "The strategy must", "DHSC should",
                   "Government needs to", "National bodies should", "NHS England must",
                   "We recommend that NHS England", "We would like to see the strategy",
                   "It is essential that the strategy", "The centre needs to",
                   "We would encourage NHS England to", "The national team should"],
    ("N", "pat"): ["The NHS should", "The NHS needs to", "The government should", "They should",
                   "The strategy should", "Whoever is in charge needs to", "I would like the NHS to",
                   "The NHS must"],
    ("T", "pro"): ["Trusts must", "Trusts should", "Every provider should", "Organisations need to",
                   "Providers should", "Local organisations should", "We recommend that trusts",
                   "Boards should", "Each trust needs to", "Trusts and ICBs should"],
    ("T", "pat"): ["Hospitals should", "Hospitals and GP surgeries need to", "GP practices should",
                   "They need to", "The hospital should"],
    ("I", "pro"): ["Suppliers need to", "Suppliers must", "Vendors should", "System suppliers should",
                   "We recommend that suppliers", "Industry should", "Suppliers should"],
    ("I", "pat"): ["The companies that make the systems should", "The IT companies need to"],
    ("R", "pro"): ["The MHRA should", "Regulators should", "Regulators must", "The CQC should",
                   "We recommend that regulators", "The regulators need to"],
    ("R", "pat"): ["The regulators should", "Someone independent needs to"],
}

REC_LIST_INTROS = {
    "pro": ["Our recommendations:", "Key asks:", "In summary, the strategy should:",
            "We would like the strategy to:", "Recommendations", "The strategy should:",
            "Priorities for the strategy:"],
    "pat": ["What I'd like to see:", "The NHS should:", "My suggestions:", "Please:"],
}
RISK_LIST_INTROS = {
    "pro": ["The main risks are:", "In our view the biggest risks are:", "Key risks:",
            "The biggest risks, in no particular order:"],
    "pat": ["My worries are:", "The biggest risks for me:", "Things that worry me:"],
}

HEDGES = {
    "C": ["Honestly, ", "Frankly, ", "In my experience, ", "To be blunt, ", "Realistically, "],
    "P": ["I feel that ", "Personally I think ", "To be honest ", "I really think ", "I think "],
    "pro": ["In our view, ", "In our experience, ", "Importantly, ", "In practice, ", "Critically, "],
}

# ---------------------------------------------------------------------------
# Deliberate campaign and duplicates.
# ---------------------------------------------------------------------------

CAMPAIGN_Q2 = (
    "I support the My Record, My Safety campaign. The strategy must:\n"
    "1. give every patient the right to see and correct their own health record quickly;\n"
    "2. guarantee that a qualified clinician checks any decision made with the help of AI;\n"
    "3. keep a non-digital option for every NHS service so that nobody is left behind;\n"
    "4. tell patients when a computer error has affected their care.\n"
    "Patients must be at the heart of digital safety, not an afterthought."
)
CAMPAIGN_Q2_PARA = (
    "I support the My Record, My Safety campaign. The strategy must give every patient the right to see "
    "and correct their own health record quickly, guarantee that a qualified clinician checks any decision "
    "made with the help of AI, keep a non-digital option for every NHS service so that nobody is left behind, "
    "and tell patients when a computer error has affected their care. Patients must be at the heart of "
    "digital safety, not an afterthought."
)
CAMPAIGN_Q1 = "Errors in our records that we cannot correct, AI making decisions without a clinician checking, and people being left behind because they are not online."
CAMPAIGN_PERSONAL = [
    "As a carer, this really matters to me.",
    "My mum has been affected by a mistake in her record.",
    "I am 74 and not online.",
    "This is so important.",
    "I've signed the petition too.",
]
CAMPAIGN_Q3 = ["I support the My Record, My Safety campaign.", "Please read the campaign letter.",
               "Patients must be at the heart of this.", ""]

NETWORK_Q1 = (
    "Alert fatigue, poor usability and unreliable systems are harming patients now. Clinicians are spending "
    "more time fighting the computer than caring for patients. This strategy must give frontline staff the "
    "time, the training and a real voice to make digital systems safe."
)

# Answers carrying fictitious contact details (for testing PII masking).
PII_SENTENCES = {
    "P": [
        "Happy to talk more about what happened to my dad. You can reach me on 07700 900461 or email j.hartley@example.org.",
        "my number is 07700900218 if anyone wants to hear my story",
        "If you want more detail please email me at bev.marsh67@example.org, I'd be glad to help.",
    ],
    "C": [
        "If anyone from the team wants to see our ward downtime toolkit, drop me a line at dr.s.okafor@example.org.",
    ],
    "M": [
        "Contact for this response: Priya Raman, Digital Programme Lead, tel. 020 7946 0832.",
    ],
    "S": [
        "I'm happy to share our hazard log template: m.lindqvist@example.net",
    ],
    "I": [
        "Please contact our regulatory affairs team at regulatory@example.com or on +44 7700 900733.",
    ],
}

# ---------------------------------------------------------------------------
# Text helpers.
# ---------------------------------------------------------------------------

AMERICAN = [
    ("organisations", "organizations"), ("organisation", "organization"), ("prioritise", "prioritize"),
    ("recognised", "recognized"), ("recognise", "recognize"), ("programmes", "programs"),
    ("programme", "program"), ("behaviour", "behavior"), ("standardisation", "standardization"),
    ("customisation", "customization"), ("centre", "center"), ("paediatric", "pediatric"),
    ("licences", "licenses"), ("materialised", "materialized"), ("realise", "realize"),
    ("minimise", "minimize"), ("analyse", "analyze"), ("judgement", "judgment"),
    ("anaesthetist", "anesthesiologist"), ("favour", "favor"), ("neighbourhoods", "neighborhoods"),
    ("neighbouring", "neighboring"), ("neighbour", "neighbor"), ("colour", "color"),
    ("modelling", "modeling"), ("catalogue", "catalog"), ("fortnight", "two weeks"),
]
MISSPELL = [
    ("receive", "recieve"), ("separate", "seperate"), ("definitely", "definately"),
    ("necessary", "neccessary"), ("occurred", "occured"), ("their", "there"), ("really", "realy"),
    ("responsible", "responsable"), ("patients", "pateints"), ("systems", "sytems"),
    ("appointment", "appointmnet"), ("information", "infomation"), ("because", "becuase"),
    ("medication", "medicaton"), ("which", "wich"), ("don't", "dont"), ("can't", "cant"),
    ("it's", "its"), ("doesn't", "doesnt"), ("I'm", "im"), ("accountability", "accountabilty"),
    ("interoperability", "interoperabilty"), ("government", "goverment"), ("environment", "enviroment"),
]

PROPER_START = ("I ", "I'", "NHS", "AI", "EPR", "DCB", "GP", "A&E", "FHIR", "DHSC", "CQC", "MHRA",
                "ICB", "CSO", "DTAC", "SME", "UK", "SaaS", "E-prescribing", "English")


def lower_first(s):
    if s.startswith(PROPER_START):
        return s
    return s[0].lower() + s[1:] if s else s


def upper_first(s):
    return s[0].upper() + s[1:] if s else s


def replace_word(text, old, new):
    pat = re.compile(r"\b" + re.escape(old) + r"\b", re.IGNORECASE)

    def sub(m):
        w = m.group(0)
        if w.isupper() and len(w) > 1:
            return new.upper()
        if w[0].isupper():
            return new[0].upper() + new[1:]
        return new
    return pat.sub(sub, text)


def americanise(text):
    for old, new in AMERICAN:
        text = replace_word(text, old, new)
    return text


def add_typos(rng, text, n):
    for _ in range(n):
        if rng.random() < 0.5:
            cands = [(o, w) for o, w in MISSPELL if re.search(r"\b" + re.escape(o) + r"\b", text)]
            if cands:
                o, w = rng.choice(cands)
                text = re.sub(r"\b" + re.escape(o) + r"\b", w, text, count=1)
                continue
        words = [m for m in re.finditer(r"\b[a-z]{5,}\b", text)]
        if not words:
            continue
        m = rng.choice(words)
        w = m.group(0)
        i = rng.randrange(1, len(w) - 1)
        op = rng.random()
        if op < 0.4:
            w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif op < 0.7:
            w2 = w[:i] + w[i + 1:]
        else:
            w2 = w[:i] + w[i] + w[i:]
        text = text[:m.start()] + w2 + text[m.end():]
    return text


def curly(text):
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r"\"(?=\w)", "\u201c", text)
    text = re.sub(r"(?<=[\w.!?])\"", "\u201d", text)
    text = re.sub(r"(?<=\s)'(?=\w)", "\u2018", text)
    text = re.sub(r"(?<=\w)'", "\u2019", text)
    return text


def words(text):
    return len(text.split())


# ---------------------------------------------------------------------------
# Generator.
# ---------------------------------------------------------------------------

TAILS = {
    "P": ["This really worries me.", "It needs sorting out.", "It happens far too often.", "Scary stuff.",
          "That's my biggest worry."],
    "C": ["It happens every single week where I work.", "It's only a matter of time before someone dies.",
          "This is not a new problem.", "Everyone knows this and nothing changes."],
    "pro": ["This needs urgent attention.", "This is a significant and growing risk.", "We see this regularly.",
            "This is widely recognised but poorly addressed."],
}

# Respondents (by voice) who attach fictitious contact details: n-th ordinary respondent of that voice.
PII_SLOTS = {"P": [6, 33, 61], "C": [15], "M": [9], "S": [4], "I": [7]}


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.uses = {}

    # -- selection helpers -------------------------------------------------
    def pick(self, items, key=lambda x: x):
        """Choose an item, preferring ones used less often so far."""
        if not items:
            return None
        weights = [1.0 / (1 + self.uses.get(key(it), 0)) ** 2 for it in items]
        it = self.rng.choices(items, weights=weights, k=1)[0]
        self.uses[key(it)] = self.uses.get(key(it), 0) + 1
        return it

    def pool(self, theme_key, kind, v):
        entries = THEMES[theme_key][kind]
        own = [t for voices, t in entries if v in voices]
        if own or kind == "story":
            return own
        if v != "P":
            return [t for voices, t in entries if any(c in voices for c in PRO)]
        return []

    def sentence(self, theme_key, kind, v, used):
        cands = [t for t in self.pool(theme_key, kind, v) if t not in used]
        t = self.pick(cands)
        if t is not None:
            used.add(t)
            t = self.vary(t)
        return t

    def vary(self, s):
        """Light paraphrase so that re-used sentences are not always identical."""
        if self.rng.random() < 0.45:
            opts = [(a, b) for a, b in SWAPS if re.search(r"\b" + re.escape(a), s)]
            if opts:
                a, b = self.rng.choice(opts)
                s = re.sub(r"\b" + re.escape(a), b, s, count=1)
        return s

    def hedge(self, s, v):
        if self.rng.random() < 0.14 and not s.startswith(PROPER_START[:2]):
            h = self.rng.choice(HEDGES["C"] if v == "C" else HEDGES["P"] if v == "P" else HEDGES["pro"])
            return h + lower_first(s)
        return s

    def connect(self, s, v):
        if s and self.rng.random() < 0.22:
            c = self.rng.choice(CONNECTORS["lay" if v in "PC" else "pro"])
            return c + (s if c.endswith(": ") else lower_first(s))
        return s

    def rec(self, theme_key, v, used, bare_national=False):
        """One recommendation sentence for a theme in a given voice."""
        pat = "pat" if v == "P" else "pro"
        cores = [c for c in THEMES[theme_key]["rec"] if v in c[1] and c[2] not in used]
        fulls = [t for t in self.pool(theme_key, "recfull", v) if t not in used]
        if bare_national:
            cands = [c for c in cores if "N" in c[0] or "T" in c[0]]
            c = self.pick(cands, key=lambda c: c[2])
            if c is None:
                return None
            used.add(c[2])
            return c[2]
        use_full = fulls and (not cores or self.rng.random() < 0.42)
        if use_full:
            t = self.pick(fulls)
            used.add(t)
            return self.vary(t)
        c = self.pick(cores, key=lambda c: c[2])
        if c is None:
            return None
        used.add(c[2])
        actors, _, vp = c
        actor = self.rng.choice(actors)
        r = self.rng.random()
        if actor in "NT" and r < 0.22:
            form = self.rng.random()
            if form < 0.6:
                return upper_first(vp) + "."
            if form < 0.8:
                return "Please " + vp + "."
            return "We need to " + vp + "."
        leads = LEADS[(actor, pat)]
        lead = self.rng.choice(leads)
        return lead + " " + vp + "."

    def short(self, theme_key, v):
        cands = self.pool(theme_key, "short", v)
        if not cands:
            cands = [t for _, t in THEMES[theme_key]["short"]]
        return self.pick(cands)

    # -- respondent -------------------------------------------------------
    def make_respondent(self, group):
        v = VOICE_OF[group]
        rng = self.rng
        weights = GROUP_THEMES[v]
        keys = list(weights)
        n = rng.choice([2, 2, 3, 3, 3, 4])
        pets = []
        while len(pets) < n:
            k = rng.choices(keys, weights=[weights[x] for x in keys], k=1)[0]
            if k not in pets:
                pets.append(k)
        lengths = {
            "P": [0.18, 0.36, 0.30, 0.16],
            "C": [0.12, 0.31, 0.35, 0.22],
            "M": [0.07, 0.25, 0.38, 0.30],
            "S": [0.05, 0.18, 0.37, 0.40],
            "I": [0.03, 0.12, 0.37, 0.48],
            "G": [0.02, 0.08, 0.35, 0.55],
        }[v]
        tones = {
            "P": [0.58, 0.15, 0.14, 0.13], "C": [0.62, 0.22, 0.1, 0.06], "M": [0.8, 0.06, 0.12, 0.02],
            "S": [0.8, 0.07, 0.1, 0.03], "I": [0.88, 0.02, 0.1, 0.0], "G": [0.9, 0.02, 0.08, 0.0],
        }[v]
        r = {
            "group": group, "v": v, "pets": pets, "lengths": lengths,
            "tone": rng.choices(["neutral", "angry", "supportive", "hesitant"], weights=tones, k=1)[0],
            "american": rng.random() < (0.35 if v == "I" else 0.06),
            "curly": rng.random() < 0.12,
            "lower": v in "PC" and rng.random() < 0.05,
            "shouty": v in "PC" and rng.random() < 0.025,
            "typos": rng.random() < (0.16 if v == "P" else 0.08),
            "dblspace": rng.random() < 0.05,
            "parsep": "\n\n" if rng.random() < 0.7 else "\n",
            "bullets": rng.random() < (0.35 if v in "MSIG" else 0.12),
            "bullet_mark": rng.choice(["- ", "- ", "* ", "\u2022 ", "1. ", "1) "]),
            "context": self.pick(CONTEXT[v]) if rng.random() < 0.6 else "",
            "used": set(),
        }
        return r

    def length_class(self, r, q):
        lengths = list(r["lengths"])
        if q == 2:  # Q3 answers are shorter on average
            lengths = [lengths[0] + 0.15, lengths[1] + 0.15, lengths[2], max(lengths[3] - 0.12, 0.03)]
        return self.rng.choices(["tiny", "short", "medium", "long"], weights=lengths, k=1)[0]

    def marker(self, r, i):
        m = r["bullet_mark"]
        if m == "1. ":
            return "%d. " % (i + 1)
        if m == "1) ":
            return "%d) " % (i + 1)
        return m

    def themes_for_answer(self, r, k):
        pets = r["pets"]
        order = pets[:]
        self.rng.shuffle(order)
        chosen = order[:k]
        if len(chosen) < k or self.rng.random() < 0.15:  # occasional off-profile theme
            weights = GROUP_THEMES[r["v"]]
            other = [t for t in weights if t not in chosen]
            chosen.append(self.rng.choices(other, weights=[weights[t] for t in other], k=1)[0])
        return chosen

    def tail(self, v):
        return self.rng.choice(TAILS[v if v in "PC" else "pro"])

    # -- answers ----------------------------------------------------------
    def q1(self, r, lc):
        v, used, rng = r["v"], r["used"], self.rng
        if lc == "tiny":
            ts = self.themes_for_answer(r, rng.choice([1, 1, 2]))
            bits = [self.short(t, v) for t in ts]
            sep = rng.choice([", ", "; ", ". ", "\n", " and "])
            bits = [b.rstrip(".") if i < len(bits) - 1 else b for i, b in enumerate(bits)]
            if sep in (", ", "; ", " and "):
                bits = bits[:1] + [lower_first(b) for b in bits[1:]]
            return sep.join(bits)
        if lc == "short":
            ts = self.themes_for_answer(r, rng.choice([1, 2]))
            ss = [self.sentence(t, "risk", v, used) for t in ts]
            ss = [self.hedge(s, v) for s in ss if s]
            if rng.random() < 0.3:
                ss.append(self.tail(v))
            return " ".join(ss)
        if lc == "medium":
            ts = self.themes_for_answer(r, rng.choice([2, 2, 3]))
            ss = []
            if r["context"] and rng.random() < 0.4:
                ss.append(r["context"])
            for j, t in enumerate(ts):
                n = rng.choice([1, 1, 2])
                for i in range(n):
                    s = self.sentence(t, "risk", v, used)
                    if s:
                        s = self.hedge(s, v)
                        if j and not i:
                            s = self.connect(s, v)
                        ss.append(s)
            if rng.random() < 0.25:
                st = self.sentence(rng.choice(ts), "story", v, used)
                if st:
                    ss.append(st)
            return self.join_sentences(ss)
        # long
        if r["bullets"] and rng.random() < 0.5:
            return self.risk_list(r)
        ts = self.themes_for_answer(r, rng.choice([3, 3, 4]))
        paras = []
        head = []
        if rng.random() < 0.45:
            head.append(rng.choice(OPENERS[v]))
        if r["context"]:
            head.append(r["context"])
        for j, t in enumerate(ts):
            p = list(head)
            head = []
            n = rng.choice([2, 3, 3])
            for i in range(n):
                s = self.sentence(t, "risk", v, used)
                if s:
                    s = self.hedge(s, v)
                    if j and not i:
                        s = self.connect(s, v)
                    p.append(s)
            if rng.random() < 0.4:
                st = self.sentence(t, "story", v, used)
                if st:
                    p.append(st)
            if p:
                paras.append(self.join_sentences(p))
        if rng.random() < 0.35:
            rc = self.rec(rng.choice(ts), v, used)
            if rc:
                paras.append(rc)
        if rng.random() < 0.3:
            paras.append(rng.choice(CLOSERS[v]))
        return self.join_paras(r, paras)

    def risk_list(self, r):
        v, used, rng = r["v"], r["used"], self.rng
        pat = "pat" if v == "P" else "pro"
        ts = self.themes_for_answer(r, rng.choice([3, 4]))
        lines = []
        if r["context"] and rng.random() < 0.5:
            lines.append(r["context"])
        lines.append(rng.choice(RISK_LIST_INTROS[pat]))
        items = []
        for t in ts:
            if rng.random() < 0.3:
                items.append(self.short(t, v).rstrip("."))
            else:
                s = self.sentence(t, "risk", v, used)
                if s:
                    if v in "MSIG" and rng.random() < 0.5:
                        s2 = self.sentence(t, "risk", v, used)
                        if s2:
                            s = s + " " + s2
                    items.append(s)
        for i, it in enumerate(items):
            lines.append(self.marker(r, i) + it)
        out = "\n".join(lines)
        if rng.random() < 0.4:
            out += r["parsep"] + rng.choice(CLOSERS[v])
        return out

    def q2(self, r, lc):
        v, used, rng = r["v"], r["used"], self.rng
        if lc == "tiny":
            t = self.themes_for_answer(r, 1)[0]
            fulls = [x for x in self.pool(t, "recfull", v) if words(x) <= 9 and x not in used]
            if fulls and rng.random() < 0.6:
                s = self.pick(fulls)
                used.add(s)
                return s
            s = self.rec(t, v, used, bare_national=True)
            if s:
                return upper_first(s) + rng.choice(["", ".", "!"])
            return self.short(t, v)
        if lc == "short":
            ts = self.themes_for_answer(r, rng.choice([1, 2]))
            ss = [self.rec(t, v, used) for t in ts]
            return " ".join(s for s in ss if s)
        if lc == "medium":
            ts = self.themes_for_answer(r, rng.choice([2, 3]))
            if r["bullets"] and rng.random() < 0.5:
                return self.rec_list(r, ts)
            ss = []
            if rng.random() < 0.35:
                s = self.sentence(ts[0], "risk", v, used)
                if s:
                    ss.append(s)
            for j, t in enumerate(ts):
                for i in range(rng.choice([1, 1, 2])):
                    s = self.rec(t, v, used)
                    if s:
                        if re.match(r"^[A-Z][\w' ]{0,40} (should|must|needs? to) ", s):
                            s = self.hedge(s, v)
                        if j and not i:
                            s = self.connect(s, v)
                        ss.append(s)
            return self.join_sentences(ss)
        ts = self.themes_for_answer(r, rng.choice([3, 3, 4]))
        if r["bullets"] or rng.random() < 0.25:
            return self.rec_list(r, ts, explained=v in "MSIG")
        paras = []
        head = []
        if rng.random() < 0.3:
            head.append(rng.choice(OPENERS[v]))
        for j, t in enumerate(ts):
            p = list(head)
            head = []
            if rng.random() < 0.6:
                s = self.sentence(t, "risk", v, used)
                if s:
                    p.append(s)
            for i in range(rng.choice([1, 2, 2])):
                s = self.rec(t, v, used)
                if s:
                    if j and not i and len(p) == 0:
                        s = self.connect(s, v)
                    p.append(s)
            if rng.random() < 0.2:
                st = self.sentence(t, "story", v, used)
                if st:
                    p.append(st)
            if p:
                paras.append(self.join_sentences(p))
        if rng.random() < 0.35:
            paras.append(rng.choice(CLOSERS[v]))
        return self.join_paras(r, paras)

    def rec_list(self, r, ts, explained=False):
        v, used, rng = r["v"], r["used"], self.rng
        pat = "pat" if v == "P" else "pro"
        intro = rng.choice(REC_LIST_INTROS[pat])
        bare = intro.endswith("should:") or intro.endswith("to:") or intro == "Please:"
        items = []
        for t in ts:
            for _ in range(rng.choice([1, 1, 2])):
                if bare:
                    s = self.rec(t, v, used, bare_national=True)
                else:
                    s = self.rec(t, v, used)
                if not s:
                    continue
                if explained and rng.random() < 0.6:
                    why = self.sentence(t, "risk", v, used)
                    if why:
                        s = s + (" " if not bare else "; ") + (why if not bare else lower_first(why))
                items.append(s)
        if not items:
            return self.q2(r, "short")
        lines = [intro]
        sep = "\n\n" if explained and rng.random() < 0.5 else "\n"
        for i, it in enumerate(items):
            lines.append(self.marker(r, i) + it)
        out = lines[0] + "\n" + sep.join(lines[1:])
        if rng.random() < 0.35:
            lead = [rng.choice(OPENERS[v])]
            if r["context"] and rng.random() < 0.5:
                lead.append(r["context"])
            out = " ".join(lead) + r["parsep"] + out
        if rng.random() < 0.3:
            out += r["parsep"] + rng.choice(CLOSERS[v])
        return out

    def q3(self, r, lc):
        v, used, rng = r["v"], r["used"], self.rng
        gen = [t for voices, t in GENERAL if v in voices and t not in used]
        if lc == "tiny":
            cands = [t for voices, t in GENERAL_SHORT if v in voices]
            return self.pick(cands)
        if lc == "short":
            x = rng.random()
            if x < 0.45 and gen:
                s = self.pick(gen)
                used.add(s)
                if rng.random() < 0.3:
                    s = s + " " + rng.choice(CLOSERS[v])
                return s
            if x < 0.7:
                s = self.sentence(rng.choice(r["pets"]), "story", v, used)
                if s:
                    return s
            if x < 0.85:
                s = self.sentence(rng.choice(r["pets"]), "risk", v, used)
                if s:
                    return s
            return self.rec(rng.choice(r["pets"]), v, used) or self.pick(gen)
        ss = []
        if gen:
            s = self.pick(gen)
            used.add(s)
            ss.append(s)
        ts = self.themes_for_answer(r, rng.choice([1, 2]))
        for t in ts:
            st = self.sentence(t, "story", v, used)
            if st and rng.random() < 0.7:
                ss.append(st)
            elif rng.random() < 0.5:
                s = self.sentence(t, "risk", v, used)
                if s:
                    ss.append(s)
            else:
                s = self.rec(t, v, used)
                if s:
                    ss.append(s)
        gen = [t for voices, t in GENERAL if v in voices and t not in used]
        if lc == "long" and gen:
            s = self.pick(gen)
            used.add(s)
            ss.append(s)
        if rng.random() < 0.5:
            rng.shuffle(ss)
        if lc == "long":
            return self.join_paras(r, [self.join_sentences(ss[:2]), self.join_sentences(ss[2:])])
        return self.join_sentences(ss)

    def join_sentences(self, ss):
        return " ".join(s for s in ss if s)

    def join_paras(self, r, paras):
        paras = [p for p in paras if p]
        if self.rng.random() < 0.25:
            return " ".join(paras)
        return r["parsep"].join(paras)

    def add_tone(self, r, text, lc):
        rng, v, tone = self.rng, r["v"], r["tone"]
        if not text or lc == "tiny":
            return text
        if tone in ("angry", "supportive") and rng.random() < 0.55:
            line = rng.choice(TONE[tone][v])
            if rng.random() < 0.5:
                sep = r["parsep"] if "\n" in text else " "
                return line + sep + text
            sep = r["parsep"] if "\n" in text else " "
            return text + sep + line
        if tone == "hesitant" and HESITANT[v] and rng.random() < 0.5 and not text.startswith(PROPER_START[:2]):
            return rng.choice(HESITANT[v]) + lower_first(text)
        return text

    def style(self, r, text):
        rng = self.rng
        if not text:
            return text
        if r["american"]:
            text = americanise(text)
        if r["typos"] and rng.random() < 0.6:
            text = add_typos(rng, text, rng.choice([1, 1, 2, 3]))
        if r["curly"]:
            text = curly(text)
        if r["dblspace"]:
            text = text.replace(". ", ".  ")
        if r["lower"]:
            text = text.lower()
        if r["shouty"] and rng.random() < 0.7:
            if words(text) < 60 or rng.random() < 0.3:
                text = text.upper()
            else:
                parts = text.split(". ")
                i = rng.randrange(len(parts))
                parts[i] = parts[i].upper()
                text = ". ".join(parts)
        return text

    def answer(self, r, q):
        lc = self.length_class(r, q)
        text = [self.q1, self.q2, self.q3][q](r, lc)
        text = self.add_tone(r, text or "", lc)
        return self.style(r, text)


def generate():
    g = Generator(SEED)
    rng = g.rng

    # Ordinary respondents plus two campaigns, shuffled into "arrival order".
    specs = []
    for group, v, n in GROUPS:
        specs += [{"group": group, "kind": "normal"} for _ in range(n)]
    specs += [{"group": "Patients and public", "kind": "campaign"} for _ in range(17)]
    specs += [{"group": "Clinicians", "kind": "network"} for _ in range(7)]
    rng.shuffle(specs)

    # Exact resubmissions: a later respondent id repeats an earlier respondent's answers.
    sources = [specs[i] for i in (12, 57, 140, 203)]
    for k, src in enumerate(sources):
        pos = next(i for i, s in enumerate(specs) if s is src) + 9 + 23 * k
        specs.insert(pos, {"group": src["group"], "kind": "resubmission", "src_obj": src})

    seen_by_voice = {}
    pii_left = {v: list(x) for v, x in PII_SENTENCES.items()}
    rows = []
    meta = []  # per row: dict of flags
    for idx, spec in enumerate(specs):
        rid = "R%04d" % (idx + 1)
        spec["rid"] = rid
        group = spec["group"]
        v = VOICE_OF[group]
        answers = [None, None, None]  # None = no row
        flags = [dict() for _ in range(3)]

        if spec["kind"] == "resubmission":
            src = spec["src_obj"]
            answers = list(src["answers"])
            flags = [{"resubmission_of": src["rid"]} for _ in range(3)]
        elif spec["kind"] == "campaign":
            r = g.make_respondent(group)
            x = rng.random()
            if x < 0.45:
                q2 = CAMPAIGN_Q2
            elif x < 0.7:
                q2 = CAMPAIGN_Q2_PARA
            elif x < 0.85:
                q2 = rng.choice(CAMPAIGN_PERSONAL) + " " + CAMPAIGN_Q2
            else:
                q2 = CAMPAIGN_Q2.replace("Patients must be at the heart", "Patients MUST be at the heart")
            y = rng.random()
            if y < 0.5:
                q1 = CAMPAIGN_Q1
            elif y < 0.75:
                q1 = g.answer(r, 0)
            else:
                q1 = None
            q3 = rng.choice(CAMPAIGN_Q3) if rng.random() < 0.6 else None
            answers = [q1, q2, q3]
            flags = [{"campaign": q1 == CAMPAIGN_Q1}, {"campaign": True}, {"campaign": bool(q3)}]
        elif spec["kind"] == "network":
            r = g.make_respondent(group)
            q1 = NETWORK_Q1
            if rng.random() < 0.4:
                q1 = q1.replace("harming patients now", "harming patients right now")
            if rng.random() < 0.3 and r["context"]:
                q1 = r["context"] + " " + q1
            q2 = g.answer(r, 1) if rng.random() < 0.8 else None
            q3 = g.answer(r, 2) if rng.random() < 0.4 else None
            answers = [q1, q2, q3]
            flags = [{"campaign": True}, {}, {}]
        else:
            r = g.make_respondent(group)
            nth = seen_by_voice[v] = seen_by_voice.get(v, 0) + 1
            skip = [0.05, 0.07, 0.36]
            for q in range(3):
                if rng.random() < skip[q]:
                    continue
                x = rng.random()
                if x < 0.025:
                    answers[q] = ""
                elif x < 0.065 + (0.06 if q == 2 else 0.0):
                    pool = NON_ANSWERS + (NON_ANSWERS_LATER if q > 0 else [])
                    answers[q] = rng.choice(pool)
                else:
                    answers[q] = g.answer(r, q)
            if all(a is None for a in answers):  # everyone in the file answered something
                answers[0] = g.answer(r, 0)
            # The same text pasted into two boxes.
            if idx in (33, 118, 251) and answers[0] and answers[1] is not None:
                answers[1] = answers[0]
                flags[1]["pasted_same"] = True
            # A few answers carrying fictitious contact details.
            if nth in PII_SLOTS.get(v, ()) and pii_left.get(v):
                q = max(i for i in range(3) if i == 0 or answers[i] is not None)
                base = answers[q] if answers[q] and answers[q] not in NON_ANSWERS + NON_ANSWERS_LATER else ""
                sent = pii_left[v].pop(0)
                answers[q] = (base + ("\n\n" if rng.random() < 0.5 else " ") + sent) if base else sent
                flags[q]["pii"] = True
        spec["answers"] = answers
        for q in range(3):
            if answers[q] is None:
                continue
            rows.append(["%s-Q%d" % (rid, q + 1), rid, group, QUESTIONS[q], answers[q]])
            meta.append(flags[q])
    return rows, meta, specs


def write_csv(rows, path):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["id", "respondent_id", "group", "question", "text"])
    for row in rows:
        w.writerow(row)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def is_non_answer(text):
    t = text.strip().lower().rstrip(".")
    return t in {x.lower().rstrip(".") for x in NON_ANSWERS + NON_ANSWERS_LATER} | {"no", ""} and text != ""


def stats(rows, meta, specs):
    from collections import Counter
    out = []
    out.append("rows: %d" % len(rows))
    out.append("respondents: %d" % len(specs))
    gc = Counter(s["group"] for s in specs)
    rc = Counter(r[2] for r in rows)
    for group, _, _ in GROUPS:
        out.append("  %-28s respondents %4d  rows %4d" % (group, gc[group], rc[group]))
    qc = Counter(r[3] for r in rows)
    for q in QUESTIONS:
        out.append("  %s  rows %d" % (q[:2], qc[q]))
    ans = Counter(sum(1 for q in s["answers"] if q is not None) for s in specs)
    out.append("respondents by number of rows: %s" % ", ".join("%d: %d" % (k, ans[k]) for k in sorted(ans)))
    out.append("empty answers (\"\"): %d" % sum(1 for r in rows if r[4] == ""))
    na = Counter(r[4] for r in rows if is_non_answer(r[4]))
    out.append("non-answers: %d (%s)" % (sum(na.values()), ", ".join("%r x%d" % kv for kv in sorted(na.items()))))
    out.append("campaign rows, My Record My Safety (patients): %d" % sum(
        1 for r, m in zip(rows, meta) if m.get("campaign") and r[2] == "Patients and public"))
    out.append("campaign rows, clinician network Q1 template: %d" % sum(
        1 for r, m in zip(rows, meta) if m.get("campaign") and r[2] == "Clinicians"))
    out.append("campaign respondents: %d patients + %d clinicians" % (
        sum(1 for s in specs if s["kind"] == "campaign"), sum(1 for s in specs if s["kind"] == "network")))
    res = [s for s in specs if s["kind"] == "resubmission"]
    out.append("resubmissions: %d respondents, %d rows (%s)" % (
        len(res), sum(1 for m in meta if m.get("resubmission_of")),
        ", ".join("%s repeats %s" % (s["rid"], s["src_obj"]["rid"]) for s in res)))
    out.append("same text pasted into Q1 and Q2: %s" % ", ".join(
        r[0] for r, m in zip(rows, meta) if m.get("pasted_same")))
    out.append("rows with fictitious contact details: %d (%s)" % (
        sum(1 for m in meta if m.get("pii")), ", ".join(r[0] for r, m in zip(rows, meta) if m.get("pii"))))
    texts = Counter(r[4] for r in rows if len(r[4]) > 20)
    out.append("rows whose text (>20 chars) appears more than once: %d" % sum(
        c for t, c in texts.items() if c > 1))
    wc = sorted(len(r[4].split()) for r in rows if r[4])
    out.append("words per non-empty answer: min %d, median %d, mean %.1f, max %d; >=150 words: %d" % (
        wc[0], wc[len(wc) // 2], sum(wc) / len(wc), wc[-1], sum(1 for x in wc if x >= 150)))
    out.append("answers containing a line break: %d" % sum(1 for r in rows if "\n" in r[4]))
    out.append("answers containing a comma: %d, a double quote: %d, non-ASCII: %d" % (
        sum(1 for r in rows if "," in r[4]), sum(1 for r in rows if '"' in r[4]),
        sum(1 for r in rows if any(ord(c) > 127 for c in r[4]))))
    return "\n".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, OUT_NAME)
    rows, meta, specs = generate()
    write_csv(rows, path)
    print("wrote %d rows to %s" % (len(rows), path))
    if "--stats" in sys.argv[1:]:
        print(stats(rows, meta, specs))


if __name__ == "__main__":
    main()
