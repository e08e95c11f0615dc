"""The report's words in Latvian and English (one entry per phrase, both languages side by side, so a
phrase cannot exist in one language only). Terms as the Ministry of Welfare uses them."""
from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # title and front matter
    "title": ("Bezpajumtniecības monitoringa ziņojums {year}", "Homelessness monitoring report {year}"),
    "subtitle": ("Latvijas nacionālā bezpajumtniecības monitoringa sistēma",
                 "Latvian national homelessness monitoring system"),
    "release": ("Datu laidiens", "Data release"),
    "generated": ("Sagatavots", "Prepared"),
    "reference_night": ("Uzskaites nakts", "Reference night"),
    "reporting_year": ("Pārskata gads", "Reporting year"),
    "lang_other": ("English version", "Latviešu versija"),
    "contents": ("Saturs", "Contents"),
    "source": ("Avots", "Source"),
    "data_csv": ("Dati", "Data"),
    "confidential": ("konfidenciāls", "confidential"),
    "footnote_c": ("c – konfidenciāls: skaitlis no 1 līdz {km1} vai no tā atvasināms lielums, nav publicēts "
                   "(informācijas atklāšanas kontrole, sk. tehnisko piezīmi).",
                   "c – confidential: a count from 1 to {km1}, or a figure that would reveal one, is not published "
                   "(disclosure control, see the technical note)."),
    "footnote_missing": ("– nav publicēts šajā datu laidienā vai nav mērīts.",
                         "– not published in this release, or not measured."),
    "not_measured": ("nav mērīts", "not measured"),
    "not_published": ("šajā datu laidienā nav publicēts", "not published in this release"),
    "chart_hidden": ("Attēlā nav rādītas konfidenciālās vērtības.", "Confidential values are left out of the chart."),
    # sections
    "s1": ("Galvenie rādītāji", "Key figures"),
    "s2": ("Datu aptvērums", "Coverage"),
    "s3": ("Tendences kopš {first}. gada", "Trends since {first}"),
    "s4": ("Ģeogrāfija", "Geography"),
    "s5": ("Dzimums un vecums", "Who: sex and age group"),
    "s6": ("Ceļi bezpajumtniecībā un no tās", "Pathways into and out of homelessness"),
    "s7": ("Lisabonas deklarācijas (EPOCH) mērķi", "The Lisbon Declaration (EPOCH) objectives"),
    "s8": ("Mājoklis vispirms", "Housing First"),
    "s_hidden": ("Dzīvošana uz ielas, slēptā bezpajumtniecība un izmaksas",
                 "Rough sleeping, hidden homelessness and cost"),
    "s9": ("Pielikums: datu kvalitāte", "Appendix: data quality"),
    "s10": ("Tehniskā piezīme", "Technical note"),
    "s11": ("Dati aiz attēliem un tabulām", "The data behind the charts and tables"),
    # key figures
    "indicator": ("Rādītājs", "Indicator"),
    "value": ("Vērtība", "Value"),
    "previous_year": ("{year}. gadā", "In {year}"),
    "change": ("Izmaiņas", "Change"),
    "kf_flow": ("Personas patversmēs un naktspatversmēs (ETHOS Light 2+3) gada laikā",
                "Persons in emergency and homeless accommodation (ETHOS Light 2+3) during the year"),
    "kf_flow_rate": ("Tās pašas personas uz 10 000 iedzīvotāju", "The same persons per 10,000 inhabitants"),
    "kf_pit": ("Personas patversmēs un naktspatversmēs uzskaites naktī",
               "Persons in emergency and homeless accommodation on the reference night"),
    "kf_pit_rate": ("Uzskaites naktī uz 10 000 iedzīvotāju", "On the reference night per 10,000 inhabitants"),
    "kf_women": ("Sieviešu īpatsvars (ETHOS Light 2+3, gada laikā)", "Share of women (ETHOS Light 2+3, during the year)"),
    "kf_first_time": ("Pirmreizējā bezpajumtniecība: īpatsvars no tiem, kas uzsāka epizodi",
                      "First-time homeless: share of those entering in the year"),
    "kf_long_term": ("Ilgstoši bez pajumtes (personas)", "Long-term homeless (persons)"),
    "kf_long_term_share": ("Ilgstoši bez pajumtes: īpatsvars", "Long-term homeless: share"),
    "kf_returns": ("Atgriešanās bezpajumtniecībā 12 mēnešu laikā pēc izmitināšanas mājoklī ({exit_year}. gadā)",
                   "Returns to homelessness within 12 months of an exit to housing (exits in {exit_year})"),
    "kf_hf_retention": ("Mājoklis vispirms: mājokli saglabājušo īpatsvars ({horizon})",
                        "Housing First: housing retention ({horizon})"),
    "kf_note": ("Izmaiņas aprēķinātas no publicētajām vērtībām; ETHOS Light 2+3 = naktspatversmes, patversmes un "
                "pagaidu izmitināšana bezpajumtniekiem.",
                "Changes are computed from the published values; ETHOS Light 2+3 = emergency accommodation "
                "(night shelters) and accommodation for the homeless."),
    # coverage
    "cov_intro": ("Ziņojums aptver {year}. gadu. Uzskaites nakts: {night}. Personu skaits ir bez dubultās uzskaites: "
                  "persona, kas izmantojusi pakalpojumus vairākās pašvaldībās, valstī tiek skaitīta vienreiz.",
                  "The report covers {year}. Reference night: {night}. Persons are counted once: someone served in "
                  "several municipalities counts once nationally."),
    "cov_sources": ("Datu avoti, kas iesnieguši datus par {year}. gadu", "Sources that delivered data for {year}"),
    "cov_municipalities": ("Pašvaldības ar vismaz vienu personu datos {year}. gadā",
                           "Municipalities with at least one person in the data for {year}"),
    "cov_linkage_shelters": ("Patversmju datos par {year}. gadu personas kods bija derīgs un persona sasaistāma ar "
                             "citiem avotiem:", "In the shelter data for {year}, the share of rows whose personal "
                             "code validated, so that the person links across sources:"),
    "cov_linkage": ("Sasaistes īpatsvars pa avotiem: sk. pielikumu “Datu kvalitāte”.",
                    "The linkage rate of every source: see the appendix on data quality."),
    "cov_not_counted": ("Netiek skaitīts", "Not counted"),
    "cov_cat6": ("ETHOS Light 1 (uz ielas) redzama no situācijas, ko persona norādījusi, nonākot patversmē, un no "
                 "krīzes dienestiem: neatliekamās palīdzības izsaukuma bez zināmas adreses un policijas kontakta ar "
                 "atzīmi \"bez noteiktas dzīvesvietas\" naktī, kad persona nebija nevienā pakalpojumā. 5. un 6. "
                 "kategoriju (nepiemēroti mājokļi, īslaicīgi pie radiem vai draugiem) neviens avots neuzskaita tieši: "
                 "tās redzamas tikai no situācijas patversmes uzņemšanā (4. kategorija – arī no atbrīvošanas no "
                 "ieslodzījuma un izrakstīšanas no slimnīcas). Cilvēki šajās situācijās, kas nekad nenonāk "
                 "pakalpojumā, nav skaitīti: šie skaitļi ir apakšējā robeža.",
                 "ETHOS Light 1 (living rough) is seen through the situation a person reported on entering a shelter "
                 "and through crisis services: an ambulance call with no known address or a police contact marked "
                 "\"no fixed abode\" on a night the person was in no service. Categories 5 and 6 (non-conventional "
                 "dwellings, staying temporarily with family or friends) are counted by no source directly: they are "
                 "seen only through the situation reported on entering a shelter (category 4 also through prison "
                 "releases and hospital discharges). People in these situations who never reach a service are not "
                 "counted: these figures are lower bounds."),
    "cov_refugees": ("Bēgļu un patvēruma meklētāju izmitināšana nav datu avots.",
                     "Accommodation of refugees and asylum seekers is not a source."),
    "cov_dv": ("Krīzes centru (vardarbībā cietušo) naktis ir ieskaitītas: {value}.",
               "Crisis-centre (domestic-violence shelter) nights are counted: {value}."),
    "unknown": ("nav zināms", "unknown"),
    "yes": ("jā", "yes"),
    "no": ("nē", "no"),
    "delivered_files": ("Iesniegtās datnes", "Files delivered"),
    # trends
    "trend_flow": ("Personas gada laikā pa ETHOS Light kategorijām", "Persons during the year by ETHOS Light category"),
    "trend_pit": ("Personas uzskaites naktī pa ETHOS Light kategorijām",
                  "Persons on the reference night by ETHOS Light category"),
    "year": ("Gads", "Year"),
    "category": ("Kategorija", "Category"),
    "persons": ("Personas", "Persons"),
    "rate": ("Uz 10 000 iedz.", "Per 10,000 inhabitants"),
    "all_categories": ("Visas kategorijas", "All categories"),
    # geography
    "geo_nuts3": ("Personas gada laikā uz 10 000 iedzīvotāju pa statistiskajiem reģioniem (NUTS3), {year}",
                  "Persons during the year per 10,000 inhabitants by statistical region (NUTS3), {year}"),
    "geo_muni": ("Pašvaldības, {year}: personas gada laikā un uzskaites naktī",
                 "Municipalities, {year}: persons during the year and on the reference night"),
    "region": ("Reģions", "Region"),
    "municipality": ("Pašvaldība", "Municipality"),
    "flow_persons": ("Gada laikā", "During the year"),
    "pit_persons": ("Uzskaites naktī", "Reference night"),
    "geo_note": ("Pašvaldību skaitļus nevar saskaitīt: persona, kas izmantojusi pakalpojumus divās pašvaldībās, "
                 "ir skaitīta abās.", "Municipal figures do not add up: a person served in two municipalities is "
                 "counted in both."),
    # who
    "who_table": ("Personas gada laikā pēc dzimuma un vecuma grupas, {year}",
                  "Persons during the year by sex and age group, {year}"),
    "sex": ("Dzimums", "Sex"),
    "age_group": ("Vecuma grupa", "Age group"),
    "total": ("Kopā", "Total"),
    # pathways
    "pw_first": ("Pirmreizējā bezpajumtniecība (nav bijis bez pajumtes iepriekšējās 730 dienās)",
                 "First-time homelessness (no homeless night in the 730 days before)"),
    "persons_entering": ("Uzsāka epizodi", "Entering"),
    "first_time_persons": ("Pirmo reizi", "First time"),
    "first_time_share": ("Īpatsvars", "Share"),
    "pw_returns": ("Atgriešanās bezpajumtniecībā pēc izmitināšanas mājoklī, pa izmitināšanas gadiem",
                   "Returns to homelessness after an exit to housing, by exit year"),
    "exit_year": ("Izmitināšanas gads", "Exit year"),
    "persons_exited": ("Izmitināti", "Exited"),
    "within_6": ("6 mēn.", "6 months"),
    "within_12": ("12 mēn.", "12 months"),
    "within_24": ("24 mēn.", "24 months"),
    "followup_note": ("* novērošanas periods vēl nav beidzies: īpatsvars ir apakšējā robeža.",
                      "* follow-up window not yet complete: the share is a lower bound."),
    "pw_length": ("Bezpajumtniecības ilgums un ilgstoša bezpajumtniecība",
                  "Length of homelessness and long-term homelessness"),
    "median_nights_in_year": ("Mediāna, naktis gadā", "Median nights in the year"),
    "mean_spell_nights": ("Vidējais epizodes ilgums, naktis", "Mean spell, nights"),
    "long_term_persons": ("Ilgstoši", "Long-term"),
    "long_term_share": ("Ilgstošo īpatsvars", "Long-term share"),
    # epoch
    "epoch_intro": ("Viens rādītājs katram Lisabonas deklarācijas mērķim; kur dati to nevar parādīt, rakstīts "
                    "“nav mērīts”.", "One indicator per objective of the Lisbon Declaration; where the data "
                    "cannot say, “not measured”."),
    "objective": ("Mērķis", "Objective"),
    "note": ("Piezīme", "Note"),
    "obj1": ("Neviens neguļ uz ielas", "No one sleeps rough"),
    "obj2": ("Neviens neuzturas ārkārtas vai pagaidu izmitināšanā ilgāk, nekā nepieciešams",
             "No one lives in emergency or transitional accommodation longer than needed"),
    "obj3": ("Neviens netiek atbrīvots no iestādes bez mājokļa piedāvājuma",
             "No one is discharged from an institution without an offer of housing"),
    "obj4": ("Izlikšana tiek novērsta, kad vien iespējams", "Evictions are prevented whenever possible"),
    "obj5": ("Neviens netiek diskriminēts bezpajumtniecības dēļ", "No one is discriminated against due to homelessness"),
    "epoch_all": ("Visi EPOCH rādītāji, {year}", "All EPOCH indicators, {year}"),
    # rough sleeping, hidden homelessness and cost
    "rs_intro": ("ETHOS Light 1. kategorija (dzīvo uz ielas) ietver personas, kas, nonākot patversmē, norādījušas, "
                 "ka iepriekšējo nakti pavadījušas uz ielas, un personas, kuras redzējuši krīzes dienesti: "
                 "neatliekamās medicīniskās palīdzības izsaukums bez zināmas adreses vai policijas kontakts ar atzīmi "
                 "“bez noteiktas dzīvesvietas” naktī, kad persona nebija nevienā pakalpojumā vai iestādē. Tie paši "
                 "skaitļi ir EPOCH rādītāji “Personas uz ielas” un OECD HC3.1 ETHOS Light 1. kategorija.",
                 "ETHOS Light category 1 (living rough) holds persons who reported on entering a shelter that they "
                 "had slept rough, and persons seen by crisis services: an ambulance call with no known address or "
                 "a police contact recorded as “no fixed abode” on a night the person was in no service or "
                 "institution. The same figures are EPOCH's “persons sleeping rough” and the ETHOS Light 1 "
                 "coverage of OECD HC3.1."),
    "rs_table": ("Dzīvo uz ielas (ETHOS Light 1): personas gada laikā un uzskaites naktī",
                 "Living rough (ETHOS Light 1): persons during the year and on the reference night"),
    "rs_flow": ("Gada laikā", "During the year"),
    "rs_rate": ("Gada laikā uz 10 000 iedz.", "During the year per 10,000 inhabitants"),
    "rs_pit": ("Uzskaites naktī", "Reference night"),
    "rs_123": ("ETHOS Light 1+2+3 gada laikā (HC3.1)", "ETHOS Light 1+2+3 during the year (HC3.1)"),
    "est_intro": ("Cik cilvēku ir bez pajumtes, bet nav nevienā sarakstā? Novērtējums izmanto sarakstus, kas "
                  "bezpajumtniekus redz cits no cita neatkarīgi: {lists}. No tā, cik personu ir vairākos sarakstos "
                  "vienlaikus, log-lineārs Puasona modelis novērtē to personu skaitu, kuras nav redzējis neviens "
                  "saraksts (vairāku sistēmu jeb atkārtotās uztveršanas novērtējums). Modelis pieņem, ka gada laikā "
                  "kopums ir slēgts, ka personas sasaista pareizi un ka saraksti ir neatkarīgi, izņemot tās sarakstu "
                  "pāru mijiedarbības, ko modelis ietver; mijiedarbības izvēlas pēc Bajesa informācijas kritērija "
                  "(BIC). 95 % ticamības intervāls ir profila ticamības intervāls. Čao apakšējā robeža paliek spēkā, "
                  "arī ja personām ir dažāda varbūtība nonākt sarakstā. Novērtējums, intervāls un robeža ir modeļa "
                  "rezultāti, publicēti noapaļoti līdz 10.",
                  "How many people are homeless but on no list? The estimate uses the lists that see homeless "
                  "people independently of one another: {lists}. From how many persons are on several lists at "
                  "once, a log-linear Poisson model estimates the number seen by no list (a multiple-systems or "
                  "capture–recapture estimate). The model assumes that the population is closed within the year, "
                  "that persons are linked correctly, and that the lists are independent apart from the pairwise "
                  "list interactions the model includes; the interactions are chosen by the Bayesian information "
                  "criterion (BIC). The 95% interval is a profile-likelihood interval. Chao's lower bound holds even "
                  "when persons differ in their chance of being on a list. The estimate, its interval and the bound "
                  "are model outputs, published rounded to the nearest 10."),
    "est_year": ("{year}. gadā vismaz vienā sarakstā bija {{0}} personas; novērtētais kopskaits ir {{1}} "
                 "(95 % intervāls no {{2}} līdz {{3}}), Čao apakšējā robeža – {{4}}.",
                 "In {year}, {{0}} persons were on at least one list; the estimated total is {{1}} (95% interval "
                 "{{2}} to {{3}}), and Chao's lower bound is {{4}}."),
    "est_chart": ("Novērtētais bezpajumtnieku skaits ar 95 % intervālu un sarakstos redzētās personas",
                  "Estimated homeless population with its 95% interval, and persons seen on the lists"),
    "est_band": ("Iekrāsotā josla: 95 % intervāls. Personas, kuru personas kods nav derīgs (nav sasaistāmas), "
                 "novērtējumā nav iekļautas, tāpēc novērotais skaits var atšķirties no personu skaita gada laikā.",
                 "Shaded band: the 95% interval. Persons whose personal code does not validate (not linkable) are "
                 "not in the estimate, so its observed persons can differ from the persons during the year."),
    "observed_persons": ("Redzētas sarakstos", "Seen on the lists"),
    "estimated_persons": ("Novērtētais kopskaits", "Estimated total"),
    "ci_lower": ("95 % intervāls: no", "95% interval: from"),
    "ci_upper": ("līdz", "to"),
    "chao_lower_bound": ("Čao apakšējā robeža", "Chao's lower bound"),
    "hidden_persons": ("Nav nevienā sarakstā (novērtēts)", "On no list (estimated)"),
    "model": ("Modelis", "Model"),
    "est_unbounded": ("Tukša intervāla augšējā robeža (–): ticamības funkcija paliek plakana, augšējās robežas nav.",
                      "An empty upper end (–): the likelihood stays flat, there is no upper bound."),
    "independence": ("neatkarība", "independence"),
    "cost_intro": ("Krīzes pakalpojumu (neatliekamās palīdzības izsaukumi, stacionārā ārstēšana, policijas kontakti, "
                   "ieslodzījums, patversmes naktis) publiskās izmaksas uz vienu bezpajumtniecībā pavadītu personas "
                   "gadu, salīdzinot ar pārējiem iedzīvotājiem, pēc gada vienības izmaksām. Krīzes dienestu dati aptver "
                   "visus iedzīvotājus. Izmaksas nav dalītas pēc dzimuma un vecuma, jo iedzīvotāju skaita atsauces "
                   "datos nav dzimuma un vecuma dalījuma.",
                   "The public cost of crisis services (ambulance calls, inpatient days, police contacts, prison "
                   "days, shelter nights) per person-year spent in homelessness, against everyone else, at the "
                   "year's unit costs. The crisis-service files cover the whole population. Cost is not split by "
                   "sex or age group because the population reference has no sex or age breakdown."),
    "cost_table": ("Izmaksas uz personas gadu pa pakalpojumiem, {year}", "Cost per person-year by service, {year}"),
    "cost_item": ("Pakalpojums", "Service"),
    "unit_cost_eur": ("Vienības izmaksas", "Unit cost"),
    "homeless_cost_per_person_year_eur": ("Bezpajumtnieki, uz personas gadu", "Homeless, per person-year"),
    "general_cost_per_person_year_eur": ("Pārējie iedzīvotāji, uz personas gadu", "General population, per person-year"),
    "excess_cost_per_person_year_eur": ("Starpība uz personas gadu", "Excess per person-year"),
    "cost_years": ("Bezpajumtniecības papildu izmaksas valstī un izmaksas dienā blakus Mājoklis vispirms",
                   "Excess cost of homelessness nationally, and cost per day beside Housing First"),
    "homeless_persons": ("Personas bezpajumtniecībā (sasaistāmas)", "Persons in homelessness (linkable)"),
    "excess_cost_national_eur": ("Papildu izmaksas valstī", "Excess cost nationally"),
    "homeless_cost_per_person_day_eur": ("Krīzes pakalpojumi, EUR dienā uz personu",
                                         "Crisis services, EUR per person-day"),
    "housing_first_eur_day": ("Mājoklis vispirms, EUR dienā", "Housing First, EUR per day"),
    "cost_chart": ("Izmaksas uz personas gadu: bezpajumtnieki un pārējie iedzīvotāji, {year}",
                   "Cost per person-year: homeless and general population, {year}"),
    "cost_group": ("Grupa", "Group"),
    "homeless": ("Bezpajumtnieki", "Homeless"),
    "general_population": ("Pārējie iedzīvotāji", "General population"),
    "cost_note": ("Papildu izmaksas valstī = starpība uz personas gadu × personas bezpajumtniecībā. Mājoklis "
                  "vispirms dienas izmaksas (mājoklis + atbalsts) ir gada atsauces vienības izmaksas.",
                  "Excess cost nationally = excess per person-year × persons in homelessness. The Housing First "
                  "cost per day (housing + support) is the year's reference unit cost."),
    # housing first
    "hf_retention": ("Mājokļa saglabāšana pēc pārcelšanās (Kaplana–Meiera līkne)",
                     "Housing retention after move-in (Kaplan–Meier curve)"),
    "months": ("Mēneši pēc pārcelšanās", "Months after move-in"),
    "survival": ("Mājokli saglabājušo īpatsvars", "Share still housed"),
    "hf_horizons": ("Mājokļa saglabāšana", "Housing retention"),
    "horizon": ("Laiks", "Horizon"),
    "participants_observed": ("Novēroti", "Observed"),
    "retained": ("Saglabāja", "Retained"),
    "retention_pct": ("Īpatsvars", "Share"),
    "hf_csq8": ("Klientu apmierinātība (CSQ-8, 8–32)", "Client satisfaction (CSQ-8, 8–32)"),
    "hf_crisis": ("Krīzes pakalpojumu izmantošana 12 mēnešos pirms un pēc pārcelšanās",
                  "Crisis-service use in the 12 months before and after move-in"),
    "before": ("Pirms", "Before"),
    "after": ("Pēc", "After"),
    "participants": ("Dalībnieki", "Participants"),
    "ambulance_call_pct": ("Ar NMPD izsaukumu", "With an ambulance call"),
    "hospital_stay_pct": ("Ar stacionēšanu", "With a hospital stay"),
    "mean_police_contacts": ("Policijas kontakti uz personu", "Police contacts per person"),
    "mean_crisis_cost_eur": ("Krīzes pakalpojumu izmaksas uz personu", "Crisis-service cost per person"),
    "hf_costs": ("Izmaksas dienā: Mājoklis vispirms salīdzinājumā ar patversmi",
                 "Cost per day: Housing First against shelter"),
    "cost_per_client_day_eur": ("Mājoklis vispirms, EUR dienā (mājoklis + atbalsts)",
                                "Housing First, EUR per day (housing + support)"),
    "short_stay_eur_day": ("Patversme / naktspatversme, EUR naktī", "Shelter / night shelter, EUR per night"),
    "boarding_house_eur_day": ("Pansija, EUR dienā", "Boarding house, EUR per day"),
    "hf_none": ("Šajā datu laidienā nav Mājoklis vispirms datu – nav mērīts.",
                "This release holds no Housing First data – not measured."),
    # data quality
    "dq_table": ("Datu kvalitāte pa datnēm, {year}", "Data quality per delivered file, {year}"),
    "file": ("Datne", "File"),
    "rows_received": ("Saņemtas rindas", "Rows received"),
    "rows_loaded": ("Ielādētas", "Loaded"),
    "rows_quarantined": ("Karantīnā", "Quarantined"),
    "linkage_rate": ("Sasaiste", "Linkage"),
    "timeliness_median_days": ("Savlaicīgums, dienas (mediāna)", "Timeliness, days (median)"),
    # technical note
    "tn_definitions": ("Rādītāju definīcijas (no datu noliktavas dokumentācijas, angļu valodā)",
                       "Indicator definitions (from the warehouse documentation)"),
    "tn_disclosure": ("Informācijas atklāšanas kontrole", "Disclosure control"),
    "tn_disclosure_text": (
        "Publiskajā datu līmenī skaitļi no 1 līdz {km1} netiek publicēti (primārā konfidencialitāte, k = {k}; "
        "nulle tiek publicēta). Koeficients, īpatsvars vai vidējais netiek publicēts, ja tā skaitītājs vai "
        "saucējs ir konfidenciāls vai mazāks par {k}. Lai slēpto skaitli nevarētu aprēķināt no kopsummām "
        "(pašvaldība → reģions → valsts, kategorija → kopā, dzimums → kopā, vecuma grupa → kopā), tiek slēptas "
        "arī papildu šūnas (sekundārā konfidencialitāte). Slēptās vērtības ziņojumā apzīmētas ar “c”, nekad ar 0.",
        "In the public tier, counts from 1 to {km1} are not published (primary suppression, k = {k}; zero is "
        "published). A rate, share or mean is not published when its numerator or denominator is suppressed or "
        "below {k}. So that a hidden count cannot be worked out from totals (municipality → region → nation, "
        "category → all, sex → all, age group → all), further cells are hidden too (secondary suppression). "
        "Hidden values are marked “c” in this report, never 0."),
    "tn_rounding": ("Bezpajumtnieku skaita novērtējums, tā 95 % intervāls, nevienā sarakstā neredzēto personu skaits "
                    "un Čao apakšējā robeža ir modeļa rezultāti: tie publicēti noapaļoti līdz 10 (uz augšu no "
                    "pieciem), tāpēc noapaļotie skaitļi var nesummēties precīzi.",
                    "The estimated homeless population, its 95% interval, the persons on no list and Chao's lower "
                    "bound are model outputs: they are published rounded to the nearest 10 (half up), so rounded "
                    "figures need not add up exactly."),
    "tn_revisions": ("Pārskatītie dati", "Revisions"),
    "rev_none": ("Salīdzinot ar iepriekšējo publicēto ziņojumu ({previous}), neviens iepriekšējo gadu skaitlis "
                 "nav mainījies.", "No figure for an earlier year changed since the previous published report "
                 "({previous})."),
    "rev_first": ("Iepriekšējs publicēts ziņojums nav atrasts: pārskatīto datu nav.",
                  "No previous published report was found: there are no revisions to show."),
    "rev_intro": ("Skaitļi par iepriekšējiem gadiem, kas mainījušies kopš iepriekšējā publicētā ziņojuma "
                  "({previous}), piemēram, novēlotu datu vai labojumu dēļ.",
                  "Figures for earlier years that changed since the previous published report ({previous}), "
                  "e.g. because of late or corrected deliveries."),
    "data_file": ("Datne", "File"),
    "row": ("Rinda", "Row"),
    "column": ("Kolonna", "Column"),
    "old_value": ("Iepriekš", "Previously"),
    "new_value": ("Tagad", "Now"),
    "tn_release": ("Visi skaitļi ņemti no datu laidiena {release} publiskā līmeņa tabulām; katra tabula un attēls "
                   "nosauc savu avota tabulu.", "Every figure is taken from the public-tier tables of release "
                   "{release}; each table and chart names its source table."),
    "data_intro": ("Katras tabulas un attēla dati ir CSV datnēs (UTF-8) mapē data/ blakus šim ziņojumam; "
                   "konfidenciālās vērtības ir tukšas ar karodziņu “c”.",
                   "The data behind every table and chart are CSV files (UTF-8) in the data/ folder beside this "
                   "report; confidential values are empty with the flag “c”."),
}

ETHOS = {
    "1": ("Dzīvo uz ielas", "Living rough"),
    "2": ("Naktspatversmēs (ārkārtas izmitināšana)", "Emergency accommodation"),
    "3": ("Patversmēs un pagaidu izmitināšanā bezpajumtniekiem", "Accommodation for the homeless"),
    "4": ("Iestādēs, atbrīvošana bez mājokļa", "In institutions, released without housing"),
    "5": ("Nepiemērotos mājokļos mājokļa trūkuma dēļ", "Non-conventional dwellings due to lack of housing"),
    "6": ("Īslaicīgi pie radiem vai draugiem", "Temporarily with family or friends"),
    "ALL": ("Visas kategorijas", "All categories"),
}
SEX = {"male": ("Vīrieši", "Men"), "female": ("Sievietes", "Women"), "unknown": ("Nav zināms", "Unknown"),
       "ALL": ("Kopā", "Total")}
AGE = {"unknown": ("Nav zināms", "Unknown"), "ALL": ("Kopā", "Total")}
HORIZON = {"6_months": ("6 mēneši", "6 months"), "12_months": ("12 mēneši", "12 months"),
           "24_months": ("24 mēneši", "24 months"), "evaluation": ("Novērtējuma dienā", "At the evaluation date")}
WAVE = {"entry": ("uzņemšanā", "at entry"), "month_2": ("2. mēnesī", "month 2"),
        "month_6_10": ("6.–10. mēnesī", "months 6–10")}
EPOCH = {
    "rough_sleepers_flow": ("Personas uz ielas gada laikā", "Persons sleeping rough during the year"),
    "rough_sleepers_point_in_time": ("Personas uz ielas uzskaites naktī", "Persons sleeping rough on the reference night"),
    "accommodation_stay_median_nights": ("Uzturēšanās ilgums patversmēs, mediāna (naktis)",
                                         "Length of stay in shelters, median (nights)"),
    "accommodation_stays_over_3_months": ("Uzturēšanās patversmēs ilgāk par 3 mēnešiem",
                                          "Shelter stays longer than 3 months"),
    "accommodation_stays_over_6_months": ("Uzturēšanās patversmēs ilgāk par 6 mēnešiem",
                                          "Shelter stays longer than 6 months"),
    "accommodation_stays_over_12_months": ("Uzturēšanās patversmēs ilgāk par 12 mēnešiem",
                                           "Shelter stays longer than 12 months"),
    "prison_release_to_shelter_30_days": ("Atbrīvotie no ieslodzījuma, kas 30 dienās nonāk patversmē",
                                          "Prison releases followed by a shelter entry within 30 days"),
    "prison_release_to_shelter_90_days": ("Atbrīvotie no ieslodzījuma, kas 90 dienās nonāk patversmē",
                                          "Prison releases followed by a shelter entry within 90 days"),
    "hospital_release_to_shelter_30_days": ("Izrakstītie no slimnīcas, kas 30 dienās nonāk patversmē",
                                            "Hospital discharges followed by a shelter entry within 30 days"),
    "hospital_release_to_shelter_90_days": ("Izrakstītie no slimnīcas, kas 90 dienās nonāk patversmē",
                                            "Hospital discharges followed by a shelter entry within 90 days"),
    "evictions_prevented": ("Novērstās izlikšanas", "Evictions prevented"),
}
COST_ITEM = {
    "ambulance_call": ("Neatliekamās palīdzības izsaukumi", "Ambulance calls"),
    "inpatient_day": ("Stacionārā ārstēšana (dienas)", "Inpatient days"),
    "police_contact": ("Policijas kontakti", "Police contacts"),
    "prison_day": ("Ieslodzījums (dienas)", "Prison days"),
    "shelter_night": ("Patversmes naktis", "Shelter nights"),
    "all": ("Kopā", "All services"),
}
LISTS = {
    "shelter": ("patversmju lietotāji", "shelter users"),
    "ambulance": ("neatliekamās palīdzības izsaukumi bez zināmas adreses", "ambulance calls with no known address"),
    "police": ("policijas kontakti ar personām bez noteiktas dzīvesvietas", "police contacts with no fixed abode"),
    "prison": ("atbrīvotie no ieslodzījuma bez mājokļa", "prison releases with no housing"),
    "hospital": ("izrakstītie no slimnīcas bez noteiktas dzīvesvietas", "hospital discharges with no fixed abode"),
}
#: One indicator per Lisbon objective (None: no source can measure it).
OBJECTIVES = [("obj1", "rough_sleepers_point_in_time"), ("obj2", "accommodation_stays_over_6_months"),
              ("obj3", "prison_release_to_shelter_30_days"), ("obj4", "evictions_prevented"), ("obj5", None)]


def translator(lang: str):
    """t(key, **fields) in one language; labels of codes via label(table, code)."""
    i = 0 if lang == "lv" else 1

    def t(key: str, **fields) -> str:
        return TEXTS[key][i].format(**fields)

    def label(kind: str, code) -> str:
        table = {"ethos": ETHOS, "sex": SEX, "age": AGE, "horizon": HORIZON, "epoch": EPOCH, "wave": WAVE,
                 "cost": COST_ITEM, "list": LISTS}[kind]
        return table[str(code)][i] if str(code) in table else str(code)

    return t, label
