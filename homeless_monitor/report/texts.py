"""The report's words in Latvian and English (one entry per phrase, both languages side by side, so a
phrase cannot exist in one language only). Terms as the Ministry of Welfare uses them."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # title and front matter
    "title": ("Bezpajumtniecības monitoringa ziņojums {year}", "Homelessness monitoring report {year}"),
    "subtitle": (
        "Latvijas nacionālā bezpajumtniecības monitoringa sistēma",
        "Latvian national homelessness monitoring system",
    ),
    "release": ("Datu laidiens", "Data release"),
    "generated": ("Sagatavots", "Prepared"),
    "reference_night": ("Uzskaites nakts", "Reference night"),
    "reporting_year": ("Pārskata gads", "Reporting year"),
    "lang_other": ("English version", "Latviešu versija"),
    "contents": ("Saturs", "Contents"),
    "source": ("Avots", "Source"),
    "data_csv": ("Dati", "Data"),
    "confidential": ("konfidenciāls", "confidential"),
    "footnote_c": (
        "c – konfidenciāls: skaitlis no 1 līdz {km1} vai no tā atvasināms lielums, nav publicēts "
        "(informācijas atklāšanas kontrole, sk. metodoloģiju).",
        "c – confidential: a count from 1 to {km1}, or a figure that would reveal one, is not published "
        "(disclosure control, see the methodology).",
    ),
    "footnote_missing": (
        "– nav publicēts šajā datu laidienā vai nav mērīts.",
        "– not published in this release, or not measured.",
    ),
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
    "s_hidden": (
        "Dzīvošana uz ielas, slēptā bezpajumtniecība un izmaksas",
        "Rough sleeping, hidden homelessness and cost",
    ),
    "s9": ("Pielikums: datu kvalitāte", "Appendix: data quality"),
    "s10": ("Tehniskā piezīme", "Technical note"),
    "s11": ("Dati aiz attēliem un tabulām", "The data behind the charts and tables"),
    # key figures
    "indicator": ("Rādītājs", "Indicator"),
    "value": ("Vērtība", "Value"),
    "previous_year": ("{year}", "{year}"),
    "change": ("Izmaiņas", "Change"),
    "kf_flow": (
        "Personas patversmēs un naktspatversmēs (ETHOS Light 2+3) gada laikā",
        "Persons in emergency and homeless accommodation (ETHOS Light 2+3) during the year",
    ),
    "kf_flow_rate": ("Uz 10 000 iedzīvotāju", "Per 10,000 inhabitants"),
    "kf_pit": (
        "Personas patversmēs un naktspatversmēs uzskaites naktī",
        "Persons in emergency and homeless accommodation on the reference night",
    ),
    "kf_pit_rate": ("Uzskaites naktī uz 10 000 iedzīvotāju", "On the reference night per 10,000 inhabitants"),
    "kf_women": (
        "Sieviešu īpatsvars (ETHOS Light 2+3, gada laikā)",
        "Share of women (ETHOS Light 2+3, during the year)",
    ),
    "kf_first_time": (
        "Pirmreizējā bezpajumtniecība: īpatsvars no tiem, kas uzsāka epizodi",
        "First-time homeless: share of those entering in the year",
    ),
    "kf_long_term": ("Ilgstoši bez pajumtes (personas)", "Long-term homeless (persons)"),
    "kf_long_term_share": ("Ilgstoši bez pajumtes: īpatsvars", "Long-term homeless: share"),
    "kf_returns": (
        "Atgriešanās bezpajumtniecībā 12 mēnešu laikā pēc izmitināšanas mājoklī ({exit_year}. gadā)",
        "Returns to homelessness within 12 months of an exit to housing (exits in {exit_year})",
    ),
    "kf_hf_retention": (
        "„Mājoklis vispirms“, {programme}: mājokli saglabājušo īpatsvars ({horizon})",
        "Housing First, {programme}: housing retention ({horizon})",
    ),
    "kf_note": (
        "Izmaiņas aprēķinātas no publicētajām vērtībām; ETHOS Light 2+3 = naktspatversmes, patversmes un "
        "pagaidu izmitināšana bezpajumtniekiem.",
        "Changes are computed from the published values; ETHOS Light 2+3 = emergency accommodation "
        "(night shelters) and accommodation for the homeless.",
    ),
    # coverage
    "cov_intro": (
        "Ziņojums aptver {year}. gadu. Uzskaites nakts: {night}. Personu skaits ir bez dubultās uzskaites: "
        "persona, kas izmantojusi pakalpojumus vairākās pašvaldībās, valstī tiek skaitīta vienreiz.",
        "The report covers {year}. Reference night: {night}. Persons are counted once: someone served in "
        "several municipalities counts once nationally.",
    ),
    "cov_sources": ("Datu avoti, kas iesnieguši datus par {year}. gadu", "Sources that delivered data for {year}"),
    "cov_municipalities": (
        "Pašvaldības ar vismaz vienu personu datos {year}. gadā",
        "Municipalities with at least one person in the data for {year}",
    ),
    "cov_linkage_shelters": (
        "Patversmju datos par {year}. gadu personas kods bija derīgs un persona sasaistāma ar citiem avotiem:",
        "In the shelter data for {year}, the share of rows whose personal "
        "code validated, so that the person links across sources:",
    ),
    "cov_linkage": (
        "Sasaistes īpatsvars pa avotiem: sk. pielikumu „Datu kvalitāte“.",
        "The linkage rate of every source: see the appendix on data quality.",
    ),
    "cov_not_counted": ("Netiek skaitīts", "Not counted"),
    "cov_cat6": (
        "ETHOS Light 1. kategorija (dzīvo uz ielas) ir redzama no situācijas, ko persona norādījusi, nonākot patversmē, un no "
        "krīzes dienestiem: neatliekamās palīdzības izsaukuma bez zināmas adreses un policijas kontakta ar "
        "atzīmi „bez noteiktas dzīvesvietas“ naktī, kad persona nebija nevienā pakalpojumā. 5. un 6. "
        "kategoriju (nepiemēroti mājokļi, īslaicīgi pie radiem vai draugiem) neviens avots neuzskaita tieši: "
        "tās redzamas tikai no situācijas patversmes uzņemšanā (4. kategorija – arī no atbrīvošanas no "
        "ieslodzījuma un izrakstīšanas no slimnīcas). Cilvēki šajās situācijās, kas nekad nenonāk "
        "pakalpojumā, nav skaitīti: šie skaitļi ir apakšējā robeža.",
        "ETHOS Light 1 (living rough) is seen through the situation a person reported on entering a shelter "
        "and through crisis services: an ambulance call with no known address or a police contact marked "
        "“no fixed abode” on a night the person was in no service. Categories 5 and 6 (non-conventional "
        "dwellings, staying temporarily with family or friends) are counted by no source directly: they are "
        "seen only through the situation reported on entering a shelter (category 4 also through prison "
        "releases and hospital discharges). People in these situations who never reach a service are not "
        "counted: these figures are lower bounds.",
    ),
    "cov_placement": (
        "Ieslodzījuma vietas atbrīvošanai nenorāda pašvaldību, un dažām izrakstīšanām no slimnīcas tās nav. "
        "Šādu nakti pieskaita pašvaldībai, kurā persona pēdējo reizi redzēta kādā avotā, citādi iestādes "
        "(cietuma vai slimnīcas) pašvaldībai, citādi nākamajai, kurā persona redzēta. Tā ir piesaiste, nevis "
        "novērojums; tāpēc katra valsts kopsumma ir reģionu summa.",
        "Prisons report no municipality for a release, and a few hospital discharges carry none. Such a night "
        "is counted in the municipality where the person was last seen by any source, else in the "
        "institution's (the prison's or the hospital's), else in the next one the person is seen in. This is "
        "a placement, not an observation; it makes every national total the sum of its regions.",
    ),
    "cov_refugees": (
        "Bēgļu un patvēruma meklētāju izmitināšana nav datu avots.",
        "Accommodation of refugees and asylum seekers is not a source.",
    ),
    "cov_dv": (
        "Krīzes centru (vardarbībā cietušo) naktis ir ieskaitītas: {value}.",
        "Crisis-centre (domestic-violence shelter) nights are counted: {value}.",
    ),
    "unknown": ("nav zināms", "unknown"),
    "yes": ("jā", "yes"),
    "no": ("nē", "no"),
    "delivered_files": ("Iesniegtās datnes", "Files delivered"),
    # trends
    "trend_flow": ("Personas gada laikā pa ETHOS Light kategorijām", "Persons during the year by ETHOS Light category"),
    "trend_pit": (
        "Personas uzskaites naktī pa ETHOS Light kategorijām",
        "Persons on the reference night by ETHOS Light category",
    ),
    "year": ("Gads", "Year"),
    "category": ("Kategorija", "Category"),
    "persons": ("Personas", "Persons"),
    "rate": ("Uz 10 000 iedz.", "Per 10,000 inhabitants"),
    "all_categories": ("Visas kategorijas", "All categories"),
    # geography
    "geo_nuts3": (
        "Personas gada laikā uz 10 000 iedzīvotāju pa statistiskajiem reģioniem (NUTS3), {year}",
        "Persons during the year per 10,000 inhabitants by statistical region (NUTS3), {year}",
    ),
    "geo_muni": (
        "Pašvaldības, {year}: personas gada laikā un uzskaites naktī",
        "Municipalities, {year}: persons during the year and on the reference night",
    ),
    "region": ("Reģions", "Region"),
    "municipality": ("Pašvaldība", "Municipality"),
    "flow_persons": ("Gada laikā", "During the year"),
    "pit_persons": ("Uzskaites naktī", "Reference night"),
    "geo_withheld_flow": (
        "Personu skaits gada laikā {year}. gadā pašvaldību griezumā nav publicēts (izņemot Rīgu): ārpus Rīgas "
        "personu ir tik maz, ka tās varētu pasargāt, tikai slēpjot valsts vai reģiona kopsummu. Reģionu un valsts "
        "kopsummas ir publicētas.",
        "The number of persons during the year {year} is not published by municipality (except Rīga): outside "
        "Rīga so few persons were counted that they could be protected only by hiding a national or regional "
        "total. Regional and national totals are published.",
    ),
    "geo_withheld_pit": (
        "Personu skaits uzskaites naktī {year}. gadā pašvaldību griezumā nav publicēts (izņemot Rīgu): ārpus "
        "Rīgas personu ir tik maz, ka tās varētu pasargāt, tikai slēpjot valsts vai reģiona kopsummu. Reģionu un "
        "valsts kopsummas ir publicētas.",
        "The number of persons on the reference night of {year} is not published by municipality (except Rīga): "
        "outside Rīga so few persons were counted that they could be protected only by hiding a national or "
        "regional total. Regional and national totals are published.",
    ),
    "geo_note": (
        "Pašvaldību skaitļus nevar saskaitīt: persona, kas izmantojusi pakalpojumus divās pašvaldībās, "
        "ir skaitīta abās.",
        "Municipal figures do not add up: a person served in two municipalities is counted in both.",
    ),
    # who
    "who_table": (
        "Personas gada laikā pēc dzimuma un vecuma grupas, {year}",
        "Persons during the year by sex and age group, {year}",
    ),
    "sex": ("Dzimums", "Sex"),
    "age_group": ("Vecuma grupa", "Age group"),
    "total": ("Kopā", "Total"),
    # pathways
    "pw_first": (
        "Pirmreizējā bezpajumtniecība (nav bijis bez pajumtes iepriekšējās 730 dienās)",
        "First-time homelessness (no homeless night in the 730 days before)",
    ),
    "persons_entering": ("Uzsāka epizodi", "Entering"),
    "first_time_persons": ("Pirmo reizi", "First time"),
    "first_time_share": ("Īpatsvars", "Share"),
    "pw_returns": (
        "Atgriešanās bezpajumtniecībā pēc izmitināšanas mājoklī, pa izmitināšanas gadiem",
        "Returns to homelessness after an exit to housing, by exit year",
    ),
    "exit_year": ("Izmitināšanas gads", "Exit year"),
    "persons_exited": ("Izmitināti", "Exited"),
    "within_6": ("6 mēn.", "6 months"),
    "within_12": ("12 mēn.", "12 months"),
    "within_24": ("24 mēn.", "24 months"),
    "followup_note": (
        "* novērošanas periods vēl nav beidzies: īpatsvars ir apakšējā robeža.",
        "* follow-up window not yet complete: the share is a lower bound.",
    ),
    "pw_length": (
        "Bezpajumtniecības ilgums un ilgstoša bezpajumtniecība",
        "Length of homelessness and long-term homelessness",
    ),
    "median_nights_in_year": ("Mediāna, naktis gadā", "Median nights in the year"),
    "mean_spell_nights": ("Vidējais epizodes ilgums, naktis", "Mean spell, nights"),
    "long_term_persons": ("Ilgstoši", "Long-term"),
    "long_term_share": ("Ilgstošo īpatsvars", "Long-term share"),
    # epoch
    "epoch_intro": (
        "Viens rādītājs katram Lisabonas deklarācijas mērķim; kur dati to nevar parādīt, rakstīts „nav mērīts“.",
        "One indicator per objective of the Lisbon Declaration; where the data cannot say, “not measured”.",
    ),
    "objective": ("Mērķis", "Objective"),
    "note": ("Piezīme", "Note"),
    "obj1": ("Neviens neguļ uz ielas", "No one sleeps rough"),
    "obj2": (
        "Neviens neuzturas ārkārtas vai pagaidu izmitināšanā ilgāk, nekā nepieciešams",
        "No one lives in emergency or transitional accommodation longer than needed",
    ),
    "obj3": (
        "Neviens netiek atbrīvots no iestādes bez mājokļa piedāvājuma",
        "No one is discharged from an institution without an offer of housing",
    ),
    "obj4": ("Izlikšana tiek novērsta, kad vien iespējams", "Evictions are prevented whenever possible"),
    "obj5": (
        "Neviens netiek diskriminēts bezpajumtniecības dēļ",
        "No one is discriminated against due to homelessness",
    ),
    "epoch_all": ("Visi EPOCH rādītāji, {year}", "All EPOCH indicators, {year}"),
    # rough sleeping, hidden homelessness and cost
    "rs_intro": (
        "ETHOS Light 1. kategorija (dzīvo uz ielas) ietver personas, kas, nonākot patversmē, norādījušas, "
        "ka iepriekšējo nakti pavadījušas uz ielas, un personas, kuras redzējuši krīzes dienesti: "
        "neatliekamās medicīniskās palīdzības izsaukums bez zināmas adreses vai policijas kontakts ar atzīmi "
        "„bez noteiktas dzīvesvietas“ naktī, kad persona nebija nevienā pakalpojumā vai iestādē. Tie paši "
        "skaitļi ir EPOCH rādītāji „Personas uz ielas“ un OECD HC3.1 ETHOS Light 1. kategorija.",
        "ETHOS Light category 1 (living rough) holds persons who reported on entering a shelter that they "
        "had slept rough, and persons seen by crisis services: an ambulance call with no known address or "
        "a police contact recorded as “no fixed abode” on a night the person was in no service or "
        "institution. The same figures are EPOCH's “persons sleeping rough” and the ETHOS Light 1 "
        "coverage of OECD HC3.1.",
    ),
    "rs_table": (
        "Dzīvo uz ielas vai dzīvesvieta nav zināma (ETHOS Light 1): personas gada laikā un uzskaites naktī",
        "Living rough or whereabouts unknown (ETHOS Light 1): persons during the year and on the reference night",
    ),
    "rs_flow": ("Gada laikā", "During the year"),
    "rs_rate": ("Gada laikā uz 10 000 iedz.", "During the year per 10,000 inhabitants"),
    "rs_pit": ("Uzskaites naktī", "Reference night"),
    "rs_123": ("ETHOS Light 1+2+3 gada laikā (HC3.1)", "ETHOS Light 1+2+3 during the year (HC3.1)"),
    "est_intro": (
        "Cik cilvēku ir bez pajumtes, bet nav nevienā sarakstā? Patversmju lietotāji ir saskaitīti tieši. "
        "Pārējos novērtē no tā, cik personu ir vairākos krīzes dienestu sarakstos vienlaikus ({lists}): "
        "log-lineāri Puasona modeļi (vairāku sistēmu jeb atkārtotās notveršanas novērtējums) pa vecuma "
        "grupām un Rīgai un pārējai Latvijai, ar sarakstu savstarpēju atkarību un ar atšķirīgu varbūtību "
        "nonākt sarakstā. Publicētais skaitlis ir modeļu vidējais, svērts pēc Akaikes informācijas kritērija "
        "(AIC); 95 % intervāls ietver arī modeļa izvēles nenoteiktību. Saraksti neredz cilvēkus, kas dzīvo "
        "pie radiem vai draugiem (ETHOS Light 5.–6. kategorija). Divas kļūdas darbojas pretējos virzienos: "
        "cilvēki, kas bez pajumtes bija īsu laiku un nenonāca nevienā dienestā, neatstāj pēdas (novērtējums "
        "par zemu), bet mājokli turošas personas, kas reģistrētas bez adreses, un ieraksti ar kļūdaini "
        "ievadītu personas kodu izskatās pēc vienreiz redzētiem cilvēkiem (par augstu). Tāpēc vienreiz "
        "redzētu personu, kuras adresi cits avots reģistrējis 30 dienu laikā, atliek kā, iespējams, mājokli "
        "turošu; jutīguma tabulā redzams novērtējums, tās ieskaitot. Čao rādītājs nav ne apakšējā "
        "robeža, ne novērtējums, ja saraksti ir savstarpēji atkarīgi. Novērtējums un intervāls ir modeļa "
        "rezultāti, publicēti noapaļoti līdz 10.",
        "How many people are homeless but on no list? Shelter users are counted outright. The rest are "
        "estimated from how many persons are on several crisis-service lists at once ({lists}): log-linear "
        "Poisson models (a multiple-systems or capture–recapture estimate) by age group and for Rīga and the "
        "rest of Latvia, allowing for dependence between lists and for persons differing in their chance of "
        "being listed. The published figure is the models' average weighted by the Akaike information "
        "criterion (AIC); its 95% interval carries the uncertainty of the choice of model too. The lists do "
        "not see people staying with family or friends (ETHOS Light categories 5–6). Two errors pull in "
        "opposite directions: people homeless for a short time who met no service leave no trace (the "
        "estimate too low), while housed persons recorded with no address and records with a mistyped "
        "personal code look like people seen once (too high). A person seen once whose address another "
        "source recorded within 30 days is therefore set aside as likely housed; the sensitivity table "
        "shows the estimate with them kept. Chao's "
        "figure is neither a lower bound nor an estimate when the lists depend on one another. The estimate "
        "and its interval are model outputs, published rounded to the nearest 10.",
    ),
    "est_year": (
        "{year}. gadā vismaz vienā sarakstā bija {{0}} personas; novērtētais kopskaits ir {{1}} "
        "(95 % intervāls no {{2}} līdz {{3}}), Čao rādītājs – {{4}}.",
        "In {year}, {{0}} persons were on at least one list; the estimated total is {{1}} (95% interval "
        "{{2}} to {{3}}), and Chao's figure is {{4}}.",
    ),
    "est_chart": (
        "Novērtētais bezpajumtnieku skaits ar 95 % intervālu un sarakstos redzētās personas",
        "Estimated homeless population with its 95% interval, and persons seen on the lists",
    ),
    "est_band": (
        "Iekrāsotā josla: 95 % intervāls. Personas, kuru personas kods nav derīgs (nav sasaistāmas), "
        "novērtējumā nav iekļautas, tāpēc novērotais skaits var atšķirties no personu skaita gada laikā.",
        "Shaded band: the 95% interval. Persons whose personal code does not validate (not linkable) are "
        "not in the estimate, so its observed persons can differ from the persons during the year.",
    ),
    "observed_persons": ("Redzētas sarakstos", "Seen on the lists"),
    "estimated_persons": ("Novērtētais kopskaits", "Estimated total"),
    "ci_lower": ("95 % intervāls: no", "95% interval: from"),
    "ci_upper": ("līdz", "to"),
    "chao_lower_bound": ("Čao rādītājs (nav apakšējā robeža)", "Chao's figure (not a lower bound)"),
    "hidden_persons": ("Nav nevienā sarakstā (novērtēts)", "On no list (estimated)"),
    "model": ("Modelis", "Model"),
    "est_unbounded": (
        "Ja intervāla augšējās robežas vietā ir „–“, ticamības funkcija paliek plakana un augšējās robežas nav.",
        "An empty upper end (–): the likelihood stays flat, there is no upper bound.",
    ),
    "independence": ("neatkarīgi saraksti", "independent lists"),
    "cost_intro": (
        "Šajā sadaļā salīdzinātas krīzes pakalpojumu (neatliekamās palīdzības izsaukumi, stacionārā "
        "ārstēšana, policijas kontakti, ieslodzījums, patversmes naktis) publiskās izmaksas uz vienu "
        "personu gadā: bezpajumtniekiem un pārējiem iedzīvotājiem, pēc attiecīgā gada vienības izmaksām. "
        "Krīzes dienestu dati aptver visus iedzīvotājus. Izmaksas nav dalītas pēc dzimuma un vecuma, jo "
        "iedzīvotāju skaita atsauces datos šāda dalījuma nav.",
        "This part compares the public cost of crisis services (ambulance calls, inpatient days, police "
        "contacts, prison days, shelter nights) per person and year, for homeless people and for everyone "
        "else, at the year's unit costs. The crisis-service files cover the whole population. Cost is not "
        "split by sex or age group because the population reference has no such breakdown.",
    ),
    "cost_table": ("Izmaksas uz personas gadu pa pakalpojumiem, {year}", "Cost per person-year by service, {year}"),
    "cost_item": ("Pakalpojums", "Service"),
    "unit_cost_eur": ("Vienības izmaksas", "Unit cost"),
    "homeless_cost_per_person_year_eur": ("Bezpajumtnieki, uz personas gadu", "Homeless, per person-year"),
    "general_cost_per_person_year_eur": (
        "Pārējie iedzīvotāji, uz personas gadu",
        "General population, per person-year",
    ),
    "excess_cost_per_person_year_eur": ("Starpība uz personas gadu", "Excess per person-year"),
    "cost_years": (
        "Bezpajumtniecības papildu izmaksas valstī un izmaksas dienā salīdzinājumā ar programmu „Mājoklis vispirms“",
        "Excess cost of homelessness nationally, and cost per day beside Housing First",
    ),
    "homeless_persons": ("Personas bezpajumtniecībā (sasaistāmas)", "Persons in homelessness (linkable)"),
    "excess_cost_national_eur": ("Papildu izmaksas valstī", "Excess cost nationally"),
    "excess_cost_national_mln": ("Papildu izmaksas valstī", "Excess cost nationally"),
    "homeless_cost_per_person_day_eur": (
        "Krīzes pakalpojumi, EUR dienā uz personu",
        "Crisis services, EUR per person-day",
    ),
    "housing_first_eur_day": ("Mājoklis vispirms, EUR dienā", "Housing First, EUR per day"),
    "cost_chart": (
        "Izmaksas uz personas gadu: bezpajumtnieki un pārējie iedzīvotāji, {year}",
        "Cost per person-year: homeless and general population, {year}",
    ),
    "cost_group": ("Grupa", "Group"),
    "homeless": ("Bezpajumtnieki", "Homeless"),
    "general_population": ("Pārējie iedzīvotāji", "General population"),
    "cost_note": (
        "Papildu izmaksas valstī = starpība uz personas gadu × personas bezpajumtniecībā. Programmas "
        "„Mājoklis vispirms“ izmaksas dienā (mājoklis + atbalsts) ir gada atsauces vienības izmaksas.",
        "Excess cost nationally = excess per person-year × persons in homelessness. The Housing First "
        "cost per day (housing + support) is the year's reference unit cost.",
    ),
    # housing first
    "hf_retention": (
        "Mājokļa saglabāšana pēc pārcelšanās (Kaplana–Meiera līkne)",
        "Housing retention after move-in (Kaplan–Meier curve)",
    ),
    "months": ("Mēneši pēc pārcelšanās", "Months after move-in"),
    "survival": ("Mājokli saglabājušo īpatsvars", "Share still housed"),
    "hf_horizons": ("Mājokļa saglabāšana", "Housing retention"),
    "horizon": ("Laiks", "Horizon"),
    "participants_observed": ("Novēroti", "Observed"),
    "retained": ("Saglabāja", "Retained"),
    "retention_pct": ("Īpatsvars", "Share"),
    "hf_csq8": ("Klientu apmierinātība (CSQ-8, 8–32)", "Client satisfaction (CSQ-8, 8–32)"),
    "hf_crisis": (
        "Krīzes pakalpojumu izmantošana 12 mēnešos pirms un pēc pārcelšanās",
        "Crisis-service use in the 12 months before and after move-in",
    ),
    "before": ("Pirms", "Before"),
    "after": ("Pēc", "After"),
    "participants": ("Dalībnieki", "Participants"),
    "ambulance_call_pct": ("Ar NMPD izsaukumu", "With an ambulance call"),
    "hospital_stay_pct": ("Ar stacionēšanu", "With a hospital stay"),
    "mean_police_contacts": ("Policijas kontakti uz personu", "Police contacts per person"),
    "mean_crisis_cost_eur": ("Krīzes pakalpojumu izmaksas uz personu", "Crisis-service cost per person"),
    "hf_costs": (
        "Izmaksas dienā: „Mājoklis vispirms“ salīdzinājumā ar patversmi",
        "Cost per day: Housing First against shelter",
    ),
    "cost_per_client_day_eur": (
        "Mājoklis vispirms, EUR dienā (mājoklis + atbalsts)",
        "Housing First, EUR per day (housing + support)",
    ),
    "short_stay_eur_day": ("Patversme / naktspatversme, EUR naktī", "Shelter / night shelter, EUR per night"),
    "boarding_house_eur_day": ("Pansija, EUR dienā", "Boarding house, EUR per day"),
    "hf_none": (
        "Šajā datu laidienā nav programmas „Mājoklis vispirms“ datu – nav mērīts.",
        "This release holds no Housing First data – not measured.",
    ),
    # data quality
    "dq_table": ("Datu kvalitāte pa datnēm, {year}", "Data quality per delivered file, {year}"),
    "file": ("Datne", "File"),
    "rows_received": ("Saņemtas rindas", "Rows received"),
    "rows_loaded": ("Ielādētas", "Loaded"),
    "rows_quarantined": ("Karantīnā", "Quarantined"),
    "linkage_rate": ("Sasaiste", "Linkage"),
    "timeliness_median_days": ("Savlaicīgums, dienas (mediāna)", "Timeliness, days (median)"),
    "timeliness_days": ("Iesniegts dienas pēc perioda beigām", "Delivered, days after the period's end"),
    # technical note
    "tn_definitions": (
        "Rādītāju definīcijas (no datu noliktavas dokumentācijas, angļu valodā)",
        "Indicator definitions (from the warehouse documentation)",
    ),
    "tn_disclosure": ("Informācijas atklāšanas kontrole", "Disclosure control"),
    "tn_disclosure_text": (
        "Publiskajā datu līmenī skaitļi no 1 līdz {km1} netiek publicēti (primārā konfidencialitāte, k = {k}; "
        "nulle tiek publicēta). Koeficients, īpatsvars vai vidējais netiek publicēts, ja tā skaitītājs vai "
        "saucējs ir konfidenciāls vai mazāks par {k}. Lai slēpto skaitli nevarētu aprēķināt no kopsummām "
        "(pašvaldība → reģions → valsts, kategorija → kopā, dzimums → kopā, vecuma grupa → kopā), tiek slēptas "
        "arī papildu šūnas (sekundārā konfidencialitāte). Slēptās vērtības ziņojumā apzīmētas ar „c“, nekad ar 0.",
        "In the public tier, counts from 1 to {km1} are not published (primary suppression, k = {k}; zero is "
        "published). A rate, share or mean is not published when its numerator or denominator is suppressed or "
        "below {k}. So that a hidden count cannot be worked out from totals (municipality → region → nation, "
        "category → all, sex → all, age group → all), further cells are hidden too (secondary suppression). "
        "Hidden values are marked “c” in this report, never 0.",
    ),
    "tn_rounding": (
        "Bezpajumtnieku skaita novērtējums, tā 95 % intervāls, nevienā sarakstā neredzēto personu skaits "
        "un Čao rādītājs ir modeļa rezultāti: tie publicēti noapaļoti līdz 10 (uz augšu no "
        "pieciem), tāpēc noapaļotie skaitļi var nesummēties precīzi.",
        "The estimated homeless population, its 95% interval, the persons on no list and Chao's "
        "figure are model outputs: they are published rounded to the nearest 10 (half up), so rounded "
        "figures need not add up exactly.",
    ),
    "tn_revisions": ("Pārskatītie dati", "Revisions"),
    "rev_none": (
        "Salīdzinot ar iepriekšējo publicēto ziņojumu ({previous}), neviens iepriekšējo gadu skaitlis nav mainījies.",
        "No figure for an earlier year changed since the previous published report ({previous}).",
    ),
    "rev_first": ("Šis ir pirmais ziņojums; pārskatījumu nav.", "This is the first report; there are no revisions."),
    "rev_intro": (
        "Skaitļi par iepriekšējiem gadiem, kas mainījušies kopš iepriekšējā publicētā ziņojuma "
        "({previous}), piemēram, novēlotu datu vai labojumu dēļ.",
        "Figures for earlier years that changed since the previous published report ({previous}), "
        "e.g. because of late or corrected deliveries.",
    ),
    "data_file": ("Datne", "File"),
    "row": ("Rinda", "Row"),
    "column": ("Kolonna", "Column"),
    "old_value": ("Iepriekš", "Previously"),
    "new_value": ("Tagad", "Now"),
    "tn_release": (
        "Visi skaitļi ņemti no datu laidiena {release} publiskā līmeņa tabulām; katra tabula un attēls "
        "nosauc savu avota tabulu.",
        "Every figure is taken from the public-tier tables of release "
        "{release}; each table and chart names its source table.",
    ),
    "data_intro": (
        "Katras tabulas un attēla dati ir CSV datnēs (UTF-8) mapē data/ blakus šim ziņojumam; "
        "konfidenciālās vērtības ir tukšas ar karodziņu „c“.",
        "The data behind every table and chart are CSV files (UTF-8) in the data/ folder beside this "
        "report; confidential values are empty with the flag “c”.",
    ),
}

ETHOS = {
    "1": ("Dzīvo uz ielas vai dzīvesvieta nav zināma", "Living rough or whereabouts unknown"),
    "2": ("Naktspatversmēs (ārkārtas izmitināšana)", "Emergency accommodation"),
    "3": ("Patversmēs un pagaidu izmitināšanā bezpajumtniekiem", "Accommodation for the homeless"),
    "4": ("Iestādēs, atbrīvošana bez mājokļa", "In institutions, released without housing"),
    "5": ("Nepiemērotos mājokļos mājokļa trūkuma dēļ", "Non-conventional dwellings due to lack of housing"),
    "6": ("Īslaicīgi pie radiem vai draugiem", "Temporarily with family or friends"),
    "ALL": ("Visas kategorijas", "All categories"),
}
SEX = {
    "male": ("Vīrieši", "Men"),
    "female": ("Sievietes", "Women"),
    "unknown": ("Nav zināms", "Unknown"),
    "ALL": ("Kopā", "Total"),
}
AGE = {"unknown": ("Nav zināms", "Unknown"), "ALL": ("Kopā", "Total")}
HORIZON = {
    "6_months": ("6 mēneši", "6 months"),
    "12_months": ("12 mēneši", "12 months"),
    "24_months": ("24 mēneši", "24 months"),
    "evaluation": ("Novērtējuma dienā", "At the evaluation date"),
}
WAVE = {
    "entry": ("uzņemšanā", "at entry"),
    "month_2": ("2. mēnesī", "month 2"),
    "month_6_10": ("6.–10. mēnesī", "months 6–10"),
}
EPOCH = {
    "rough_sleepers_flow": ("Personas uz ielas gada laikā", "Persons sleeping rough during the year"),
    "rough_sleepers_point_in_time": (
        "Personas uz ielas uzskaites naktī",
        "Persons sleeping rough on the reference night",
    ),
    "accommodation_stay_median_nights": (
        "Uzturēšanās ilgums patversmēs, mediāna (naktis)",
        "Length of stay in shelters, median (nights)",
    ),
    "accommodation_stays_over_3_months": (
        "Uzturēšanās patversmēs ilgāk par 3 mēnešiem",
        "Shelter stays longer than 3 months",
    ),
    "accommodation_stays_over_6_months": (
        "Uzturēšanās patversmēs ilgāk par 6 mēnešiem",
        "Shelter stays longer than 6 months",
    ),
    "accommodation_stays_over_12_months": (
        "Uzturēšanās patversmēs ilgāk par 12 mēnešiem",
        "Shelter stays longer than 12 months",
    ),
    "prison_release_to_shelter_30_days": (
        "Atbrīvotie no ieslodzījuma, kas 30 dienās nonāk patversmē",
        "Prison releases followed by a shelter entry within 30 days",
    ),
    "prison_release_to_shelter_90_days": (
        "Atbrīvotie no ieslodzījuma, kas 90 dienās nonāk patversmē",
        "Prison releases followed by a shelter entry within 90 days",
    ),
    "hospital_release_to_shelter_30_days": (
        "Izrakstītie no slimnīcas, kas 30 dienās nonāk patversmē",
        "Hospital discharges followed by a shelter entry within 30 days",
    ),
    "hospital_release_to_shelter_90_days": (
        "Izrakstītie no slimnīcas, kas 90 dienās nonāk patversmē",
        "Hospital discharges followed by a shelter entry within 90 days",
    ),
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
LIST_SHORT = {
    "shelter": ("patversmes", "shelters"),
    "ambulance": ("NMPD", "ambulance"),
    "police": ("policija", "police"),
    "prison": ("ieslodzījums", "prison"),
    "hospital": ("slimnīcas", "hospitals"),
}
#: One indicator per Lisbon objective (None: no source can measure it).
OBJECTIVES = [
    ("obj1", "rough_sleepers_point_in_time"),
    ("obj2", "accommodation_stays_over_6_months"),
    ("obj3", "prison_release_to_shelter_30_days"),
    ("obj4", "evictions_prevented"),
    ("obj5", None),
]


TEXTS.update(
    {
        # front matter, banner, colophon
        "synthetic_banner": (
            "SINTĒTISKI DATI – izmēģinājuma izdevums, skaitļi neraksturo Latviju",
            "SYNTHETIC DATA – a trial edition; the figures do not describe Latvia",
        ),
        "synthetic_note": (
            "Šis izdevums ir sagatavots no sintētiskiem (mākslīgi ģenerētiem) datiem, lai pārbaudītu "
            "monitoringa sistēmu. Tā skaitļus nedrīkst citēt kā Latvijas statistiku.",
            "This edition was prepared from synthetic (generated) data to test the monitoring system. "
            "Its figures must not be quoted as statistics of Latvia.",
        ),
        "publisher": ("Izdevējs", "Publisher"),
        "publisher_name": (
            "Labklājības ministrija, bezpajumtniecības monitoringa sistēma",
            "Ministry of Welfare, homelessness monitoring system",
        ),
        "colophon": ("Izdevuma dati", "About this edition"),
        # key findings
        "s_findings": ("Galvenie secinājumi", "Key findings"),
        "kf_table": ("Galvenie rādītāji", "Key figures"),
        "kf_total": (
            "Personas bezpajumtniecībā gada laikā (visas ETHOS Light kategorijas, katra persona vienreiz)",
            "Persons homeless during the year (all ETHOS Light categories, each person once)",
        ),
        "kf_total_rate": ("Uz 10 000 iedzīvotāju", "Per 10,000 inhabitants"),
        "kf_night": (
            "Personas bezpajumtniecībā uzskaites naktī (visas kategorijas)",
            "Persons homeless on the reference night (all categories)",
        ),
        "kf_estimate": (
            "Novērtētais bezpajumtnieku skaits (ar nevienā sarakstā neredzētajiem)",
            "Estimated homeless population (including those on no list)",
        ),
        "kf_estimate_low": ("Novērtējuma 95 % intervāls: no", "Estimate, 95% interval: from"),
        "kf_estimate_high": ("Novērtējuma 95 % intervāls: līdz", "Estimate, 95% interval: to"),
        "kf_first_persons": ("Pirmreizējā bezpajumtniecība (personas)", "First-time homeless (persons)"),
        "kf_note2": (
            "Izmaiņas aprēķinātas no tabulā publicētajām (noapaļotajām) vērtībām. ETHOS Light 2+3 – "
            "naktspatversmes, patversmes un pagaidu izmitināšana bezpajumtniekiem. – nav aprēķināms (sk. piezīmes).",
            "Changes are computed from the values as printed (rounded). ETHOS Light 2+3 = night shelters, "
            "shelters and temporary accommodation for the homeless. – not computable (see the notes).",
        ),
        # sentences: {0} this year, {1} size of the change, {2} the year before
        "f_total": (
            "{year}. gadā bezpajumtniecību (visas ETHOS Light kategorijas) piedzīvoja {{0}} {persons}",
            "In {year}, {{0}} {persons} experienced homelessness (all ETHOS Light categories)",
        ),
        "f_night": (
            "Uzskaites naktī, {night}, bez pajumtes bija {{0}} {persons}",
            "On the reference night, {night}, {{0}} {persons} were homeless",
        ),
        "f_estimate": (
            "Ieskaitot cilvēkus, kurus neredz neviens saraksts, bezpajumtnieku skaits novērtēts {{0}} "
            "(95 % intervāls no {{3}} līdz {{4}})",
            "Including people seen by no list, the homeless population is estimated at {{0}} "
            "(95% interval {{3}} to {{4}})",
        ),
        "f_first": (
            "Pirmo reizi bezpajumtniecībā nonāca {{0}} {persons}",
            "{{0}} {persons} became homeless for the first time",
        ),
        "f_long": (
            "Ilgstoši (vismaz gadu vai atkārtoti) bez pajumtes bija {{0}} {persons}",
            "{{0}} {persons} were long-term homeless (a year or more, or repeatedly)",
        ),
        "f_up": (" – par {{1}} vairāk nekā {prev}. gadā ({{2}}).", ", {{1}} more than in {prev} ({{2}})."),
        "f_down": (" – par {{1}} mazāk nekā {prev}. gadā ({{2}}).", ", {{1}} fewer than in {prev} ({{2}})."),
        "f_same": (" – tikpat, cik {prev}. gadā ({{2}}).", ", the same as in {prev} ({{2}})."),
        "f_nochange": (".", "."),
        "f_none": (
            "Šajā datu laidienā galvenie rādītāji nav publicēti.",
            "This release publishes none of the key figures.",
        ),
        "person_one": ("persona", "person"),
        "person_many": ("personas", "persons"),
        # notes on odd-looking figures
        "n_series_start": (
            "{first}. gads ir pirmais gads ar datiem: tā skaitļos ir tikai pakalpojumi, kas sākās vai "
            "turpinājās šajā gadā, un iepriekšējās vēstures nav.",
            "{first} is the first year with data: it holds only services that began or ran in that year, "
            "and there is no earlier history.",
        ),
        "n_not_computable": (
            "– nav aprēķināms: pirmreizējai bezpajumtniecībai vajag 730 dienu (2 gadu) iepriekšējo "
            "vēsturi, ilgstošai bezpajumtniecībai – 3 gadu vēsturi; sērijas pirmajos gados tās nav. Vidējam "
            "epizodes ilgumam vajag 7 gadu vēsturi; pirms tam tas nav aprēķināms.",
            "– not computable: first-time homelessness needs 730 days (2 years) of earlier history, "
            "long-term homelessness 3 years; the first years of the series do not have it. The mean spell "
            "length needs a 7-year look-back and is not computable before it.",
        ),
        "n_rough_annual": (
            "Gada skaitlī ir ikviens, kurš gada laikā kaut vienu nakti dzīvoja uz ielas vai kura "
            "dzīvesvieta nebija zināma (piemēram, policijas kontakts ar atzīmi „bez noteiktas "
            "dzīvesvietas“); uzskaites nakts skaitlī – tikai tie, kas uz ielas redzēti tieši šajā naktī. "
            "Tāpēc gada skaitlis ir daudzkārt lielāks.",
            "The annual figure holds everyone who lived rough, or whose whereabouts were unknown (e.g. a "
            "police contact recorded as “no fixed abode”), on at least one night of the year; the reference "
            "night holds only those seen rough on that night. That is why the annual figure is many times larger.",
        ),
        "n_single_point": (
            "Kategorijas, kas redzamas tikai vienā gadā, attēlā ir viens punkts.",
            "Categories seen in a single year are drawn as a single point.",
        ),
        "n_total_not_drawn": (
            "Kopsummas (visas kategorijas, apvienotās kategorijas) attēlā nav zīmētas, tās ir tabulā.",
            "Totals (all categories, combined categories) are not drawn; they are in the table.",
        ),
        "n_prison": (
            "Atbrīvotie, kas 90 dienās nonāk patversmē, ietver tos, kas tur nonāk 30 dienās; ja skaitļi ir "
            "gandrīz vienādi, gandrīz visi, kas nonāk patversmē, to dara pirmajā mēnesī.",
            "Releases reaching a shelter within 90 days include those within 30 days; when the two are almost "
            "equal, nearly everyone who reaches a shelter does so in the first month.",
        ),
        "n_timeliness": (
            "Savlaicīgums ir dienu skaits no notikuma līdz datu saņemšanai (mediāna). Ja datne satur "
            "vairāku gadu vēsturi, kas iesniegta vienā reizē (sistēmas ieviešana), mediāna ir simtiem dienu; "
            "kārtējām gada piegādēm tā ir īsa.",
            "Timeliness is the number of days from an event to the file's receipt (median). When a file "
            "holds several years of history delivered at once (the system's start), the median runs to "
            "hundreds of days; for regular yearly deliveries it is short.",
        ),
        "n_timeliness_synthetic": (
            "Šajā pārskatā dati ir sintētiski: visas datnes saņemtas vienā dienā, kad tās ģenerētas, tāpēc "
            "savlaicīgums šeit rāda laiku no perioda līdz ģenerēšanai, nevis reālu piegādes kavējumu.",
            "The data of this report are synthetic: every file was received on the day it was generated, so "
            "timeliness here shows the time from the period to that day, not a real delivery lag.",
        ),
        "n_hf": (
            "Mājokļa saglabāšanas īpatsvars ir no dalībniekiem, kuri novēroti visu periodu līdz attiecīgajam "
            "laikam. Ja novēroto skaits ir konfidenciāls („c“), īpatsvars attiecas uz mazu grupu un jālasa piesardzīgi.",
            "Housing retention is a share of the participants observed for the whole period up to the horizon. "
            "Where the number observed is confidential (“c”), the share is of a small group: read it with care.",
        ),
        "n_cost_person_year": (
            "Personas gads šeit nozīmē ikvienu, kurš gadā bija bezpajumtniecībā kaut vienu nakti "
            "(puse – ne vairāk kā dažas naktis). Tāpēc izmaksas dienā nav tieši salīdzināmas ar "
            "programmas Mājoklis vispirms izmaksām dienā, kas attiecas uz katru dienu mājoklī.",
            "A person-year here is anyone homeless on at least one night of the year (half of them for "
            "a few nights only). So the cost per day is not directly comparable with Housing First's "
            "cost per day, which is for every day housed.",
        ),
        "who_unknown": (
            "Dzimums nav zināms {{0}} personām; tās ir tabulā un attēlā (pelēkā krāsā).",
            "Sex is not known for {{0}} persons; they are in the table and the chart (grey).",
        ),
        "data_excel": (
            "Katrai CSV datnei blakus ir Excel datne (.xlsx) ar tiem pašiem datiem un latviskiem kolonnu "
            "nosaukumiem, kā arī datu vārdnīca (data/vardnica.csv): tās atveras latviešu Excel bez "
            "kodējuma un decimālkomata kļūdām.",
            "Beside each CSV file is an Excel file (.xlsx) with the same data and the column names in words, "
            "and a data dictionary (data/dictionary.csv).",
        ),
        "n_chao_above": (
            "Čao rādītājs ir lielāks par novērtējumu: tas norāda, ka saraksti ir negatīvi saistīti "
            "(cilvēki, kurus redz viens dienests, retāk nonāk citā) vai ka personām ir ļoti atšķirīga "
            "varbūtība nonākt sarakstā; tad rādītājs var pārsniegt patieso skaitu, un arī modeļa novērtējums "
            "ir nenoteiktāks, nekā rāda intervāls.",
            "Chao's figure is above the estimate: a sign that the lists are negatively dependent "
            "(people seen by one service are less often seen by another) or that persons differ strongly "
            "in their chance of being listed; the figure can then exceed the true number, and the model's "
            "estimate is more uncertain than its interval shows.",
        ),
        "est_model": ("Modelis {year}. gadā: {model}.", "Model in {year}: {model}."),
        "not_reached": ("vēl nav sasniegts", "not yet reached"),
        "delivery_n": ("{n}. piegāde", "delivery {n}"),
        "mln_eur": ("milj. €", "million"),
        # estimate sensitivity
        "est_sens": (
            "Novērtējuma jutīgums pret modeļa izvēli, {year}",
            "Sensitivity of the estimate to the model, {year}",
        ),
        "est_sens_note": (
            "Ar ✓ atzīmēts publicētais modelis. Lielas atšķirības starp modeļiem nozīmē, ka novērtējums "
            "ir nenoteikts vairāk, nekā rāda intervāls.",
            "✓ marks the published model. Large differences between models mean the estimate is more "
            "uncertain than its interval shows.",
        ),
        "chosen": ("Izvēlēts", "Chosen"),
        # source lines
        "source_line": ("Avots: {sources}.", "Source: {sources}."),
        "source_system": (
            "Bezpajumtniecības monitoringa sistēma, publiskā tabula",
            "Homelessness monitoring system, public table",
        ),
        # legend
        "legend_zero": ("0 – nulle (publicēta).", "0 – zero (published)."),
        "legend_missing": (
            "– nav aprēķināms vai nav datu (iemesls – piezīmē pie tabulas).",
            "– not computable or no data (the reason is in the note under the table).",
        ),
        # methodology
        "s_method": ("Metodoloģija", "Methodology"),
        "m_purpose_h": ("Par šo ziņojumu", "About this report"),
        "m_purpose": (
            "Ziņojums apraksta bezpajumtniecību Latvijā {year}. gadā pēc Eiropas tipoloģijas ETHOS Light. "
            "Dati ir personas līmeņa ieraksti no patversmēm, krīzes dienestiem un programmas Mājoklis vispirms; "
            "personas kods datos tiek aizstāts ar pseidonīmu, tāpēc vienu personu var saskaitīt vienreiz, arī ja "
            "to redzējuši vairāki dienesti vai vairākas pašvaldības. Ziņojumā publicēti tikai "
            "informācijas atklāšanas kontrolei pakļauti apkopojumi.",
            "The report describes homelessness in Latvia in {year} by the European ETHOS Light typology. The "
            "data are person-level records from shelters, crisis services and the Housing First programme; the "
            "personal code is replaced by a pseudonym, so one person is counted once even when seen by several "
            "services or municipalities. Only aggregates that have passed disclosure control are published.",
        ),
        "m_ethos_h": ("ETHOS Light kategorijas", "ETHOS Light categories"),
        "m_ethos_cat": ("Kategorija", "Category"),
        "m_ethos_situation": ("Dzīves situācija", "Living situation"),
        "m_ethos_seen": ("Kā redzama datos", "How the data see it"),
        "m_sources_h": ("Datu avoti un iesniedzēji", "Sources and the institutions that deliver them"),
        "m_source": ("Datu avots", "Source"),
        "m_institution": ("Iesniedz", "Delivered by"),
        "m_what": ("Saturs", "Content"),
        "m_coverage_h": ("Aptvērums: kas netiek skaitīts", "Coverage: what is not counted"),
        "m_coverage": (
            "Skaitīti tiek tikai cilvēki, kurus redzējis kāds no datu avotiem. Cilvēki, kas dzīvo uz ielas, "
            "nepiemērotos mājokļos vai pie radiem un draugiem un nekad nenonāk pakalpojumā, nav skaitīti, tāpēc "
            "skaitļi ir apakšējā robeža; šo daļu novērtē bezpajumtnieku skaita novērtējums. Netiek skaitīta "
            "bēgļu un patvēruma meklētāju izmitināšana. Personas bez derīga personas koda tiek skaitītas "
            "pakalpojuma sniedzēja datos, bet nav sasaistāmas ar citiem avotiem.",
            "Only people seen by one of the sources are counted. People living rough, in non-conventional "
            "dwellings or with family and friends who never reach a service are not counted, so the figures "
            "are lower bounds; the estimate covers that part. Accommodation of refugees and asylum seekers is "
            "not counted. Persons without a valid personal code are counted in their provider's data but "
            "cannot be linked to other sources.",
        ),
        "m_defs_h": ("Rādītāju definīcijas", "Definitions of the indicators"),
        "m_estimate_h": (
            "Bezpajumtnieku skaita novērtējums: metode un ierobežojumi",
            "The estimate: method and limits",
        ),
        "m_estimate": (
            "Novērtējums izmanto to, cik personu ir vairākos sarakstos vienlaikus (patversmju lietotāji, "
            "neatliekamās palīdzības izsaukumi bez zināmas adreses, policijas kontakti ar personām bez noteiktas "
            "dzīvesvietas u. c.). Log-lineārs Puasona modelis no šīm pārklāšanās reizēm novērtē, cik personu nav "
            "redzējis neviens saraksts (vairāku sistēmu jeb atkārtotās notveršanas metode). Modelis pieņem, ka "
            "gada laikā kopums ir slēgts, ka personas sasaistītas pareizi un ka saraksti ir neatkarīgi, izņemot "
            "modelī ietvertās mijiedarbības. Ja saraksti ir pozitīvi saistīti (tie paši cilvēki nonāk vairākos), "
            "novērtējums ir par zemu; ja negatīvi – par augstu. Tāpēc ziņojumā ir arī Čao rādītājs un, "
            "ja publicēta, jutīguma tabula.",
            "The estimate uses how many persons are on several lists at once (shelter users, ambulance calls "
            "with no known address, police contacts with no fixed abode, and others). A log-linear Poisson "
            "model turns these overlaps into an estimate of the persons seen by no list (multiple-systems or "
            "capture–recapture estimation). The model assumes that the population is closed within the year, "
            "that persons are linked correctly, and that the lists are independent apart from the interactions "
            "in the model. If lists are positively dependent (the same people reach several), the estimate is "
            "too low; if negatively, too high. That is why Chao's figure and, where published, a "
            "sensitivity table are shown too.",
        ),
        "m_cost_h": ("Izmaksas: metode un ierobežojumi", "Cost: method and limits"),
        "m_cost": (
            "Izmaksas ir krīzes pakalpojumu (neatliekamās palīdzības izsaukumi, stacionārā ārstēšana, policijas "
            "kontakti, ieslodzījums, patversmes naktis) apjoms, reizināts ar gada vienības izmaksām. Bezpajumtnieku "
            "izmaksas uz personu salīdzinātas ar pārējo iedzīvotāju izmaksām uz personu; starpība, reizināta ar "
            "personu skaitu, ir papildu izmaksas valstī. Tas nav budžeta izdevumu uzskaites skaitlis: vienības "
            "izmaksas ir vidējās, un daļa pakalpojumu būtu vajadzīgi arī ar mājokli. Papildu izmaksas valstī ir "
            "noapaļotas līdz 0,1 milj. €.",
            "Cost is the volume of crisis services (ambulance calls, inpatient days, police contacts, prison "
            "days, shelter nights) times the year's unit costs. The cost per homeless person is compared with "
            "the cost per person of everyone else; the difference times the persons is the excess cost "
            "nationally. It is not a budget figure: unit costs are averages, and some services would be needed "
            "with a home too. The national excess cost is rounded to €0.1 million.",
        ),
        "m_disclosure_h": ("Informācijas atklāšanas kontrole", "Disclosure control"),
        "m_rounding_h": ("Noapaļošana un izmaiņas", "Rounding and changes"),
        "m_rounding": (
            "Skaitļi publicēti veselos skaitļos, koeficienti un īpatsvari ar vienu zīmi aiz komata. Novērtējums "
            "un tā intervāls noapaļoti līdz 10. Izmaiņas pret iepriekšējo gadu aprēķinātas no publicētajām "
            "(noapaļotajām) vērtībām, tāpēc lasītājs tās var pārrēķināt. Procentpunktu (p.p.) starpība ir divu "
            "īpatsvaru starpība.",
            "Counts are published whole, rates and shares to one decimal. The estimate and its interval are "
            "rounded to the nearest 10. Changes against the year before are computed from the published "
            "(rounded) values, so a reader can recompute them. A percentage-point (pp) change is the "
            "difference of two shares.",
        ),
        "m_revisions_h": ("Pārskatīšanas politika", "Revisions policy"),
        "m_revisions": (
            "Katrs izdevums pārrēķina visu sēriju no visiem līdz tam saņemtajiem datiem. Novēloti vai "
            "laboti dati var mainīt iepriekšējo gadu skaitļus; šādas izmaiņas salīdzinājumā ar iepriekšējo "
            "publicēto ziņojumu uzskaitītas zemāk. Pēdējā gada skaitļi ir provizoriski līdz nākamajam "
            "ikgadējam izdevumam.",
            "Each edition recomputes the whole series from all data received so far. Late or corrected "
            "deliveries can change earlier years' figures; such changes since the previous published report "
            "are listed below. The latest year's figures are provisional until the next yearly edition.",
        ),
        "m_calendar_h": ("Publicēšanas kalendārs", "Release calendar"),
        "m_calendar": (
            "Ziņojums iznāk reizi gadā par iepriekšējo kalendāro gadu, pēc tam, kad saņemti visu avotu gada "
            "dati (parasti gada pirmajā ceturksnī). Uzskaites nakts ir 15. novembris. Dati aiz katras tabulas "
            "un attēla publicēti vienlaikus ar ziņojumu.",
            "The report appears once a year for the previous calendar year, once every source's yearly data "
            "have arrived (usually in the first quarter). The reference night is 15 November. The data behind "
            "every table and chart are published with the report.",
        ),
        "m_contact_h": ("Kontakti", "Contact"),
        "m_contact": (
            "Labklājības ministrija, Sociālo pakalpojumu departaments: jautājumi par datiem un metodoloģiju – "
            "lm@lm.gov.lv.",
            "Ministry of Welfare, Social Services Department: questions about the data and methods – lm@lm.gov.lv.",
        ),
        "m_disclosure": (
            "Publiskajās tabulās skaitļi no 1 līdz {km1} netiek publicēti (primārā konfidencialitāte, "
            "k = {k}); nulle tiek publicēta. Koeficients, īpatsvars vai vidējais netiek publicēts, ja tā "
            "skaitītājs vai saucējs ir konfidenciāls vai mazāks par {k}. Lai slēpto skaitli nevarētu "
            "aprēķināt no kopsummām (pašvaldība → reģions → valsts, kategorija → kopā, dzimums → kopā, "
            "vecuma grupa → kopā), tiek slēptas arī papildu šūnas (sekundārā konfidencialitāte){protection}. "
            "Slēptās vērtības apzīmētas ar „c“, nekad ar 0 vai tukšumu.",
            "In the public tables, counts from 1 to {km1} are not published (primary suppression, k = {k}); "
            "zero is published. A rate, share or mean is not published when its numerator or denominator is "
            "suppressed or below {k}. So that a hidden count cannot be worked out from totals (municipality → "
            "region → nation, category → all, sex → all, age group → all), further cells are hidden too "
            "(secondary suppression){protection}. Hidden values are marked “c”, never 0 or blank.",
        ),
        "m_protection": (
            "; katrai slēptajai šūnai iespējamo vērtību intervāls ir vismaz {k} plats",
            "; every hidden cell's range of possible values is at least {k} wide",
        ),
    }
)

#: Delivered sources by their contract name: (name lv, name en, institution lv, institution en).
SOURCES = {
    "shelter_stays": (
        "Patversmju un naktspatversmju uzturēšanās (personas līmenī)",
        "Shelter and night-shelter stays (person level)",
        "pašvaldību sociālie dienesti un pakalpojumu sniedzēji",
        "municipal social services and providers",
    ),
    "shelter_counts": (
        "Patversmju gada pārskats (apkopojums)",
        "Shelter yearly report (aggregate)",
        "pašvaldības",
        "municipalities",
    ),
    "ambulance_calls": (
        "Neatliekamās medicīniskās palīdzības izsaukumi",
        "Ambulance calls",
        "Neatliekamās medicīniskās palīdzības dienests (NMPD)",
        "Emergency Medical Service (NMPD)",
    ),
    "hospital_stays": (
        "Stacionārā ārstēšana",
        "Hospital stays",
        "Nacionālais veselības dienests (NVD)",
        "National Health Service (NVD)",
    ),
    "police_contacts": ("Policijas kontakti", "Police contacts", "Valsts policija", "State Police"),
    "prison_spells": (
        "Ieslodzījums un atbrīvošana",
        "Prison spells and releases",
        "Ieslodzījuma vietu pārvalde",
        "Prison Administration",
    ),
    "hf_clients": (
        "Mājoklis vispirms: klienti",
        "Housing First: clients",
        "programmas īstenotājs",
        "programme provider",
    ),
    "hf_enrolments": (
        "Mājoklis vispirms: dalība",
        "Housing First: enrolments",
        "programmas īstenotājs",
        "programme provider",
    ),
    "hf_flats": (
        "Mājoklis vispirms: dzīvokļi un īres līgumi",
        "Housing First: flats and tenancies",
        "programmas īstenotājs",
        "programme provider",
    ),
    "hf_support_contacts": (
        "Mājoklis vispirms: atbalsta kontakti",
        "Housing First: support contacts",
        "programmas īstenotājs",
        "programme provider",
    ),
    "hf_surveys": (
        "Mājoklis vispirms: klientu aptaujas",
        "Housing First: client surveys",
        "programmas īstenotājs un izvērtētājs",
        "programme provider and evaluator",
    ),
    "hf_costs": ("Mājoklis vispirms: izmaksas", "Housing First: costs", "programmas īstenotājs", "programme provider"),
    "hf_fidelity": (
        "Mājoklis vispirms: atbilstība modelim",
        "Housing First: fidelity",
        "programmas izvērtētājs",
        "programme evaluator",
    ),
    "ref_population": (
        "Iedzīvotāju skaits pašvaldībās",
        "Population by municipality",
        "Centrālā statistikas pārvalde (caur ministriju)",
        "Official Statistics Portal (via the Ministry)",
    ),
    "ref_municipalities": (
        "Pašvaldību klasifikators (ATVK)",
        "Municipalities (ATVK classification)",
        "Centrālā statistikas pārvalde (caur ministriju)",
        "Official Statistics Portal (via the Ministry)",
    ),
    "ref_unit_costs": ("Vienības izmaksas", "Unit costs", "Labklājības ministrija", "Ministry of Welfare"),
    "ref_providers": (
        "Sociālo pakalpojumu sniedzēju reģistrs",
        "Register of social service providers",
        "Labklājības ministrija",
        "Ministry of Welfare",
    ),
    "ref_ethos_light": (
        "ETHOS Light kartējums",
        "ETHOS Light mapping",
        "Labklājības ministrija",
        "Ministry of Welfare",
    ),
}
#: Public tables by their human names (for the source line under each table and chart).
TABLES = {
    "mart_homeless_flow_yearly": ("personas gada laikā", "persons during the year"),
    "mart_homeless_point_in_time": ("personas uzskaites naktī", "persons on the reference night"),
    "mart_oecd_hc31": ("OECD HC3.1 rādītāji", "OECD HC3.1 indicators"),
    "mart_first_time_homeless": ("pirmreizējā bezpajumtniecība", "first-time homelessness"),
    "mart_returns_to_homelessness": ("atgriešanās bezpajumtniecībā", "returns to homelessness"),
    "mart_length_of_homelessness": ("bezpajumtniecības ilgums", "length of homelessness"),
    "mart_epoch_indicators": ("EPOCH rādītāji", "EPOCH indicators"),
    "mart_data_quality": ("datu kvalitāte", "data quality"),
    "mart_hf_retention": ("Mājoklis vispirms: mājokļa saglabāšana", "Housing First: housing retention"),
    "mart_hf_survival": ("Mājoklis vispirms: mājokļa saglabāšanas līkne", "Housing First: retention curve"),
    "mart_hf_wellbeing": ("Mājoklis vispirms: klientu aptaujas", "Housing First: client surveys"),
    "mart_hf_crisis_use_summary": ("Mājoklis vispirms: krīzes pakalpojumi", "Housing First: crisis-service use"),
    "mart_hf_costs": ("Mājoklis vispirms: izmaksas", "Housing First: costs"),
    "mart_homelessness_estimate": ("bezpajumtnieku skaita novērtējums", "estimated homeless population"),
    "mart_homelessness_estimate_sensitivity": ("novērtējuma jutīgums", "sensitivity of the estimate"),
    "mart_cost_of_homelessness": ("bezpajumtniecības izmaksas", "cost of homelessness"),
}
#: Combined ETHOS Light coverages (each person once).
COVERAGE = {
    "1+2+3": (
        "1.–3. kategorija kopā (uz ielas, naktspatversmēs, patversmēs)",
        "Categories 1–3 together (rough, emergency and homeless accommodation)",
    ),
    "2+3": (
        "2. un 3. kategorija kopā (naktspatversmes un patversmes)",
        "Categories 2 and 3 together (emergency and homeless accommodation)",
    ),
}
#: Housing First programmes by id.
PROGRAMMES = {
    "MV2024": ("valsts programma (no 2024. gada, 5 pašvaldības)", "national programme (from 2024, 5 municipalities)"),
    "MV2022": (
        "izmēģinājuma projekts (Rīga, Liepāja un Valmiera, 2022–2023)",
        "pilot (Riga, Liepāja and Valmiera, 2022–2023)",
    ),
}
#: How each ETHOS Light category is seen in the data: (lv, en).
ETHOS_SEEN = {
    "1": (
        "situācija, ko persona norāda, nonākot patversmē; NMPD izsaukumi bez adreses; policijas kontakti "
        "„bez noteiktas dzīvesvietas“",
        "situation reported on entering a shelter; ambulance calls with no address; "
        "police contacts with “no fixed abode”",
    ),
    "2": ("naktspatversmju uzturēšanās", "night-shelter stays"),
    "3": (
        "patversmju, krīzes centru un pagaidu izmitināšanas uzturēšanās",
        "shelter, crisis-centre and temporary stays",
    ),
    "4": (
        "atbrīvošana no ieslodzījuma vai slimnīcas bez mājokļa; situācija, nonākot patversmē",
        "prison or hospital release with no housing; situation on entering a shelter",
    ),
    "5": ("tikai situācija, nonākot patversmē", "only the situation on entering a shelter"),
    "6": ("tikai situācija, nonākot patversmē", "only the situation on entering a shelter"),
}
#: Definitions in plain words, one per indicator: (lv, en).
DEFINITIONS = [
    (
        ("Personas gada laikā", "Persons during the year"),
        (
            "Katra persona, kura gadā vismaz vienu nakti bija kādā ETHOS Light situācijā, skaitīta vienreiz (valstī, "
            "reģionā, pašvaldībā un kategorijā – katrā vienreiz).",
            "Each person with at least one night in an ETHOS Light situation in the year, counted once (once nationally, "
            "once per region, municipality and category).",
        ),
    ),
    (
        ("Personas uzskaites naktī", "Persons on the reference night"),
        (
            "Personas, kuras 15. novembra naktī bija kādā ETHOS Light situācijā.",
            "Persons in an ETHOS Light situation on the night of 15 November.",
        ),
    ),
    (
        ("Uz 10 000 iedzīvotāju", "Per 10,000 inhabitants"),
        (
            "Personu skaits, dalīts ar iedzīvotāju skaitu gada sākumā, reizināts ar 10 000.",
            "Persons divided by the population at the start of the year, times 10,000.",
        ),
    ),
    (
        ("Pirmreizējā bezpajumtniecība", "First-time homelessness"),
        (
            "Personas, kuras gadā uzsāka bezpajumtniecības epizodi un iepriekšējās 730 dienās nebija bez pajumtes.",
            "Persons who began a spell of homelessness in the year with no homeless night in the 730 days before.",
        ),
    ),
    (
        ("Ilgstoša bezpajumtniecība", "Long-term homelessness"),
        (
            "Persona, kuras pašreizējā epizode ilgst vismaz 365 naktis, vai kurai 3 gados bijušas 4 vai vairāk epizodes "
            "ar kopā vismaz 365 naktīm. Epizode nebeidzas ar pārtraukumu līdz 14 naktīm.",
            "A person whose current spell has lasted 365 nights or more, or who had 4 or more spells in 3 years totalling "
            "365 nights or more. A break of up to 14 nights does not end a spell.",
        ),
    ),
    (
        ("Atgriešanās bezpajumtniecībā", "Returns to homelessness"),
        (
            "No personām, kuras gadā izgāja no bezpajumtniecības uz mājokli (bez pakalpojuma vismaz 14 naktis), to "
            "īpatsvars, kas atkal bija bez pajumtes 6, 12 vai 24 mēnešu laikā.",
            "Of the persons who left homelessness for housing in the year (no service for at least 14 nights), the share "
            "homeless again within 6, 12 or 24 months.",
        ),
    ),
    (
        ("Bezpajumtnieku skaita novērtējums", "Estimated homeless population"),
        (
            "Personas sarakstos plus modeļa novērtētās personas, kuras nav redzējis neviens saraksts.",
            "Persons on the lists plus the persons seen by no list, as the model estimates them.",
        ),
    ),
    (
        ("Papildu izmaksas", "Excess cost"),
        (
            "Krīzes pakalpojumu izmaksas uz bezpajumtnieku mīnus izmaksas uz pārējiem iedzīvotājiem.",
            "Crisis-service cost per homeless person minus the cost per person of everyone else.",
        ),
    ),
    (
        ("Mājokļa saglabāšana (Mājoklis vispirms)", "Housing retention (Housing First)"),
        (
            "No dalībniekiem, kuri pārcēlās uz mājokli un novēroti visu periodu, to īpatsvars, kuri pēc 6, 12 vai 24 "
            "mēnešiem joprojām dzīvo mājoklī.",
            "Of the participants who moved into a home and were observed for the whole period, the share still housed "
            "after 6, 12 or 24 months.",
        ),
    ),
]
#: Data-quality metrics (rows of the appendix table) are translated by their column header keys.
MONTHS_LOC = (
    "janvārī",
    "februārī",
    "martā",
    "aprīlī",
    "maijā",
    "jūnijā",
    "jūlijā",
    "augustā",
    "septembrī",
    "oktobrī",
    "novembrī",
    "decembrī",
)
MONTHS_NOM = (
    "janvāris",
    "februāris",
    "marts",
    "aprīlis",
    "maijs",
    "jūnijs",
    "jūlijs",
    "augusts",
    "septembris",
    "oktobris",
    "novembris",
    "decembris",
)


def translator(lang: str):
    """t(key, **fields) in one language; labels of codes via label(table, code)."""
    i = 0 if lang == "lv" else 1

    def t(key: str, **fields) -> str:
        return TEXTS[key][i].format(**fields)

    def label(kind: str, code) -> str:
        if kind == "source":
            return SOURCES[str(code)][i] if str(code) in SOURCES else str(code).replace("_", " ")
        if kind == "institution":
            return SOURCES[str(code)][2 + i] if str(code) in SOURCES else ""
        if kind == "age":
            text = AGE[str(code)][i] if str(code) in AGE else str(code)
            return text.replace("-", "\u2013")  # 0–17: an en dash between numbers
        table = {
            "ethos": ETHOS,
            "sex": SEX,
            "horizon": HORIZON,
            "epoch": EPOCH,
            "wave": WAVE,
            "cost": COST_ITEM,
            "list": LISTS,
            "list_short": LIST_SHORT,
            "table": TABLES,
            "coverage": COVERAGE,
            "programme": PROGRAMMES,
            "ethos_seen": ETHOS_SEEN,
        }[kind]
        if str(code) in table:
            return table[str(code)][i]
        return str(code).replace("_", " ")  # never a raw snake_case name

    return t, label
